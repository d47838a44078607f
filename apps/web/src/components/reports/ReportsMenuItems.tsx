/** Placeholder: written by issue 15's web work. */
export function ReportsMenuItems(_props: { enabled: boolean }) {
  return null;
}
