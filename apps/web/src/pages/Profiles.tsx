/** The profile picker after sign-in, and managing profiles. */
export function ProfilesPage() {
  return <h1>Profiles</h1>;
}
