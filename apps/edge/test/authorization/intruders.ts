/**
 * Refusals shared by matrix entries. A module of its own (importing no domain file) so the domain
 * files can use it without an import cycle through matrix.ts, in which it would still be undefined.
 */
export const signedIn = { anonymous: 401, expired: 401, tampered: 401, revoked: 401 } as const;

/** The account's own settings and content: any live session of it, but kids profiles manage nothing. */
export const notKids = { ...signedIn, kids: 403 } as const;
