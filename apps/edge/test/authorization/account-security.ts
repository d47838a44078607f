/**
 * Authorisation-matrix entries of the account-security routes (see matrix.ts): changing the email
 * (password re-checked), cancelling pending undo links (password re-checked) and undoing such a
 * change from the previous address.
 *
 * The refusals are the shared ones plus the kids profile (it may not manage the account); a wrong
 * password (401) and its per-session throttle (429) are proved in src/accounts/email-change.test.ts,
 * since the matrix's forged attempts are sent without a token.
 */
import { uniqueEmail } from "../harness";
import { notKids } from "./intruders";
import type { MatrixEntry } from "./matrix";

export const ACCOUNT_SECURITY_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/me/email",
    request: (_w, as) => ({
      path: "/api/v1/me/email",
      json: { email: uniqueEmail("mxmoved"), password: as.password },
    }),
    refuse: notKids,
    // It moves the account to a new address and ends its other sessions: a fresh owner takes it.
    owner: { status: 200, fresh: true },
  },
  {
    operation: "DELETE /api/v1/me/email/undo-links",
    request: (_w, as) => ({
      path: "/api/v1/me/email/undo-links",
      json: { password: as.password },
    }),
    refuse: notKids,
    // The shared owner has no pending undo link (only fresh owners change the email): nothing to
    // cancel is a 204. The established-address rule (409) is proved in src/accounts/undo-cancel.test.ts.
    owner: { status: 204 },
  },
];

export const ACCOUNT_SECURITY_PUBLIC_OPERATIONS: Record<string, string> = {
  "POST /api/v1/auth/email-change/undo":
    "authenticated by the single-use undo token mailed to the account's previous (verified) address",
};
