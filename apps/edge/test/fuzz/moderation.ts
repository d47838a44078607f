/**
 * Legitimate requests of the review queue, strikes and appeals for the fuzz test (see stateful.ts):
 * real case, strike and appeal ids, which no schema sample can name. One moderator, one strike
 * issuer and one creator per run, made on first use; each request names a case, strike or appeal of
 * its own, claimed first by the moderator where the route is the claimant's.
 */
import { insertAppeal, insertCase, insertStrike, seedModerator } from "../../src/moderation/queue-fixtures";
import { insertVideo } from "../fixtures";
import { api, type SeededAccount, seedAccount } from "../harness";

interface StatefulCase {
  body: unknown;
  token?: string;
  path?: string;
}

let cast: Promise<{ moderator: SeededAccount; issuer: SeededAccount; creator: SeededAccount }> | null = null;
const people = () => {
  cast ??= Promise.all([
    seedModerator("fuzzmodq"),
    seedModerator("fuzzmodi"),
    seedAccount({ tag: "fuzzmodc", channel: true }),
  ]).then(([moderator, issuer, creator]) => ({ moderator, issuer, creator }));
  return cast;
};

/** A fresh open case on a new video of the fuzz creator, and the moderator. */
async function freshCase(claimed: boolean) {
  const { moderator, creator } = await people();
  const videoId = await insertVideo(creator, {});
  const id = await insertCase({ targetType: "video", targetId: videoId, ownerAccountId: creator.accountId });
  const base = `/api/v1/moderation/cases/${id}`;
  if (claimed) await api(`${base}/claim`, { method: "POST", token: moderator.accessToken });
  return { base, token: moderator.accessToken };
}

/** A fresh open appeal of a strike the issuer gave the fuzz creator. */
async function freshAppeal(claimed: boolean) {
  const { moderator, issuer, creator } = await people();
  const id = await insertAppeal(creator, issuer.accountId);
  const base = `/api/v1/moderation/appeals/${id}`;
  if (claimed) await api(`${base}/claim`, { method: "POST", token: moderator.accessToken });
  return { base, token: moderator.accessToken };
}

export const MODERATION_STATEFUL: Record<string, () => Promise<StatefulCase>> = {
  "GET /api/v1/moderation/cases": async () => ({
    body: undefined,
    token: (await people()).moderator.accessToken,
  }),
  "GET /api/v1/moderation/cases/{caseId}": async () => {
    const { base, token } = await freshCase(false);
    return { body: undefined, token, path: base };
  },
  "POST /api/v1/moderation/cases/{caseId}/claim": async () => {
    const { base, token } = await freshCase(false);
    return { body: undefined, token, path: `${base}/claim` };
  },
  "POST /api/v1/moderation/cases/{caseId}/release": async () => {
    const { base, token } = await freshCase(true);
    return { body: undefined, token, path: `${base}/release` };
  },
  "POST /api/v1/moderation/cases/{caseId}/decision": async () => {
    const { base, token } = await freshCase(true);
    return { body: { decision: "dismiss", note: "fuzz" }, token, path: `${base}/decision` };
  },
  "GET /api/v1/me/strikes": async () => ({ body: undefined, token: (await people()).creator.accessToken }),
  "POST /api/v1/me/strikes/{strikeId}/appeal": async () => {
    const { issuer, creator } = await people();
    const strikeId = await insertStrike(creator, issuer.accountId);
    return {
      body: { text: "I did not break the rules" },
      token: creator.accessToken,
      path: `/api/v1/me/strikes/${strikeId}/appeal`,
    };
  },
  "GET /api/v1/moderation/appeals": async () => ({
    body: undefined,
    token: (await people()).moderator.accessToken,
  }),
  "POST /api/v1/moderation/appeals/{appealId}/claim": async () => {
    const { base, token } = await freshAppeal(false);
    return { body: undefined, token, path: `${base}/claim` };
  },
  "POST /api/v1/moderation/appeals/{appealId}/decision": async () => {
    const { base, token } = await freshAppeal(true);
    return { body: { grant: false, note: "fuzz" }, token, path: `${base}/decision` };
  },
};
