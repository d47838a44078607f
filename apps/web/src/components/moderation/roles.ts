/** Who the staff pages are for (the API checks the same roles on every request: 403 otherwise). */
export const canModerate = (roles: readonly string[]) =>
  roles.includes("moderator") || roles.includes("admin");
export const isAdmin = (roles: readonly string[]) => roles.includes("admin");
