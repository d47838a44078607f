/**
 * Authorisation-matrix entries of the audit log's routes (issue 15; see matrix.ts). Both are reads
 * of admins only: a moderator, a creator, a viewer and a kids profile are refused (403). Neither
 * takes an id, so there is no other owner to hide anything from; nothing in the API writes the log
 * (audit/routes.test.ts tries every other method). The verify route seals pending rows, which
 * changes no row's content, so refused attempts leave nothing to check beyond their status.
 */
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";

const adminOnly = { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 } as const;

export const AUDIT_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/admin/audit",
    request: () => ({ path: "/api/v1/admin/audit?action=admin.roles.set" }),
    refuse: adminOnly,
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200 },
  },
  {
    operation: "GET /api/v1/admin/audit/verify",
    request: () => ({ path: "/api/v1/admin/audit/verify" }),
    refuse: adminOnly,
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200 },
  },
];

/** Mutating audit operations anyone may call: none (there are no mutating audit operations). */
export const AUDIT_PUBLIC_OPERATIONS: Record<string, string> = {};
