/**
 * Authorisation-matrix entries of the review queue, strikes and appeals (issue 15,
 * docs/moderation.md "Queue" and "Strikes"; see matrix.ts).
 *
 * The staff routes (cases, appeals) are for moderators and admins: the world's creator, viewer and
 * kids profile get 403 whatever the id; the owner check runs as the world's admin, on a case or
 * appeal of its own (seeded on first use) that it claims first where the route needs a claim. The
 * creator's routes act on the caller's own channel: GET /me/strikes refuses a kids profile (403) and
 * an account without a channel (409); an appeal of the owner's strike is 404 to everyone else (and
 * 403 to a kids profile appealing its own account's strike). `afterRefusals` checks no refused
 * attempt claimed, decided or appealed anything.
 */
import { eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import { appeals, moderationCases } from "../../src/db/schema";
import { insertAppeal, insertCase, insertStrike, seedModerator } from "../../src/moderation/queue-fixtures";
import { insertVideo, testDb } from "../fixtures";
import { api, type SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck, World } from "./matrix";
import { afterRefusals } from "./phases";

const staffOnly = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;
const asAdmin: OwnerCheck["as"] = (w) => ({ token: w.admin.accessToken });

/** Values seeded once, on first use (the matrix's world exists only once its beforeAll ran). */
const once = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | null = null;
  return () => {
    made ??= make();
    return made;
  };
};

const issuer = once(() => seedModerator("mxissuer"));
/** An open case on a video of the world's owner; `kind` keeps the entries' cases apart. */
const cases = new Map<string, Promise<string>>();
const caseFor = (w: World, kind: string) => {
  let made = cases.get(kind);
  if (!made) {
    made = insertVideo(w.owner, {}).then((videoId) =>
      insertCase({ targetType: "video", targetId: videoId, ownerAccountId: w.owner.accountId }),
    );
    cases.set(kind, made);
  }
  return made;
};
/** The active strike of each account's channel an appeal entry names (issued by `issuer`). */
const strikes = new Map<string, Promise<string>>();
const strikeOf = (as: SeededAccount) => {
  let made = strikes.get(as.accountId);
  if (!made) {
    made = issuer().then((m) => insertStrike(as, m.accountId));
    strikes.set(as.accountId, made);
  }
  return made;
};
/** Open appeals of the other creator's strikes, for the staff's appeal routes. */
const appealFor = (() => {
  const made = new Map<string, Promise<string>>();
  return (w: World, kind: string) => {
    let id = made.get(kind);
    if (!id) {
      id = issuer().then((m) => insertAppeal(w.other, m.accountId));
      made.set(kind, id);
    }
    return id;
  };
})();

/** The admin claims `path`'s case or appeal first, so its owner check of a claimant's route can pass. */
const claimedByAdmin = async (w: World, path: string) => {
  await api(path, { method: "POST", token: w.admin.accessToken });
};

let world: World | null = null;

afterRefusals("no refused attempt claimed or decided a case or appeal, or appealed a strike", async () => {
  if (!world) return;
  const caseIds = await Promise.all([...cases.values()]);
  const rows = await testDb().select().from(moderationCases).where(inArray(moderationCases.id, caseIds));
  for (const row of rows) {
    // Only the admin's own preparatory claims (owner checks) may have touched them.
    expect(row.decidedBy).toBeNull();
    expect([null, world.admin.accountId]).toContain(row.claimedBy);
  }
  const ownStrike = await strikes.get(world.owner.accountId);
  if (ownStrike) {
    expect(await testDb().select().from(appeals).where(eq(appeals.strikeId, ownStrike))).toEqual([]);
  }
});

export const MODERATION_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/moderation/cases",
    request: (w) => {
      world = w;
      return { path: "/api/v1/moderation/cases" };
    },
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "GET /api/v1/moderation/cases/{caseId}",
    request: async (w) => ({ path: `/api/v1/moderation/cases/${await caseFor(w, "read")}` }),
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/cases/{caseId}/claim",
    request: async (w) => ({ path: `/api/v1/moderation/cases/${await caseFor(w, "claim")}/claim` }),
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/cases/{caseId}/release",
    request: async (w) => {
      const base = `/api/v1/moderation/cases/${await caseFor(w, "release")}`;
      await claimedByAdmin(w, `${base}/claim`);
      return { path: `${base}/release` };
    },
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/cases/{caseId}/decision",
    request: async (w) => {
      const base = `/api/v1/moderation/cases/${await caseFor(w, "decide")}`;
      await claimedByAdmin(w, `${base}/claim`);
      return { path: `${base}/decision`, json: { decision: "dismiss", note: "fine" } };
    },
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "GET /api/v1/me/strikes",
    request: () => ({ path: "/api/v1/me/strikes" }),
    refuse: { ...signedIn, viewer: 409, kids: 403 },
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/me/strikes/{strikeId}/appeal",
    // The targeted account's own strike: the owner's, or (for the kids caller) its own account's.
    request: async (_w, as) => ({
      path: `/api/v1/me/strikes/${await strikeOf(as)}/appeal`,
      json: { text: "I did not break the rules" },
    }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404, kids: 403 },
    owner: { status: 201 },
  },
  {
    operation: "GET /api/v1/moderation/appeals",
    request: () => ({ path: "/api/v1/moderation/appeals" }),
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/appeals/{appealId}/claim",
    request: async (w) => ({ path: `/api/v1/moderation/appeals/${await appealFor(w, "claim")}/claim` }),
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/appeals/{appealId}/decision",
    request: async (w) => {
      const base = `/api/v1/moderation/appeals/${await appealFor(w, "decide")}`;
      await claimedByAdmin(w, `${base}/claim`);
      return { path: `${base}/decision`, json: { grant: false, note: "stands" } };
    },
    refuse: staffOnly,
    owner: { as: asAdmin, status: 200 },
  },
];

/** Mutating moderation operations anyone may call: none. */
export const MODERATION_PUBLIC_OPERATIONS: Record<string, string> = {};
