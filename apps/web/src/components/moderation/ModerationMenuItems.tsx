/** Placeholder: written by issue 15's web work. */
export function ModerationMenuItems(_props: { enabled: boolean }) {
  return null;
}
