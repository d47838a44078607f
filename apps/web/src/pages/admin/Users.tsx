/** Placeholder: written by issue 15's web work. */
export function AdminUsersPage() {
  return null;
}
