/**
 * Claims (docs/moderation.md, "Queue"): a conditional UPDATE, so of two moderators claiming one case
 * at once exactly one gets it and the other a 409 naming the claim's expiry; a lapsed claim is
 * anyone's; only the claimant decides, once.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, seedAccount } from "../../test/harness";
import { auditLog, moderationCases } from "../db/schema";
import { type CaseJson, claim, decide, seedModerator, videoCase } from "./queue-fixtures";

const auditOf = (caseId: string, action: string) =>
  testDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, caseId), eq(auditLog.action, action)))
    .all();

describe("claiming a case", () => {
  it("two moderators at once: one 200, the other 409 with the claim's expiry; one audit row", async () => {
    const [a, b, creator] = await Promise.all([
      seedModerator("clma"),
      seedModerator("clmb"),
      seedAccount({ tag: "clmc", channel: true }),
    ]);
    const { caseId } = await videoCase(creator);
    const answers = await Promise.all([claim(a, caseId), claim(b, caseId)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const won = answers.find((r) => r.status === 200) as Response;
    const lost = answers.find((r) => r.status === 409) as Response;
    const held = (await won.json()) as CaseJson;
    const problem = (await lost.json()) as { code: string; detail: string; claimExpiresAt: number };
    expect(problem.code).toBe("conflict");
    expect(problem.claimExpiresAt).toBe(held.claimExpiresAt);
    expect(problem.detail).toContain(new Date(held.claimExpiresAt as number).toISOString());
    expect(held.state).toBe("claimed");
    expect([a.accountId, b.accountId]).toContain(held.claimedBy);
    // Default claimMinutes 30.
    expect((held.claimExpiresAt as number) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(await auditOf(caseId, "moderation.case.claim")).toHaveLength(1);
  });

  it("re-claiming your own claim extends it; another moderator takes a lapsed claim", async () => {
    const [a, b, creator] = await Promise.all([
      seedModerator("clmx"),
      seedModerator("clmy"),
      seedAccount({ tag: "clmz", channel: true }),
    ]);
    const { caseId } = await videoCase(creator);
    expect((await claim(a, caseId)).status).toBe(200);
    expect((await claim(a, caseId)).status).toBe(200);
    expect((await claim(b, caseId)).status).toBe(409);
    // The claim lapses (as claimMinutes later).
    await testDb()
      .update(moderationCases)
      .set({ claimExpiresAt: Date.now() - 1 })
      .where(eq(moderationCases.id, caseId));
    // The lapsed claimant can no longer decide…
    expect((await decide(a, caseId, { decision: "dismiss" })).status).toBe(409);
    const taken = await claim(b, caseId);
    expect(taken.status).toBe(200);
    expect(((await taken.json()) as CaseJson).claimedBy).toBe(b.accountId);
    // …and the old claimant now meets b's claim.
    expect((await claim(a, caseId)).status).toBe(409);
  });

  it("only the claimant decides, exactly once, even when the decision is sent twice at once", async () => {
    const [a, b, creator] = await Promise.all([
      seedModerator("clmd"),
      seedModerator("clme"),
      seedAccount({ tag: "clmf", channel: true }),
    ]);
    const { caseId, videoId } = await videoCase(creator);
    expect((await decide(a, caseId, { decision: "dismiss" })).status).toBe(409); // not claimed
    expect((await claim(a, caseId)).status).toBe(200);
    expect((await decide(b, caseId, { decision: "remove" })).status).toBe(409); // not b's
    const twice = await Promise.all([
      decide(a, caseId, { decision: "remove", note: "spam" }),
      decide(a, caseId, { decision: "remove", note: "spam" }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    // One decision, one audit row (recorded under the target, naming the case).
    const rows = await auditOf(videoId, "moderation.case.decide");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorAccountId: a.accountId,
      reason: "spam",
      after: { caseId, decision: "remove" },
    });
    const decided = await testDb().select().from(moderationCases).where(eq(moderationCases.id, caseId)).get();
    expect(decided).toMatchObject({ state: "decided", decision: "remove", decidedBy: a.accountId });
    // A decided case cannot be claimed, released or decided again.
    expect((await claim(b, caseId)).status).toBe(409);
    expect((await decide(a, caseId, { decision: "dismiss" })).status).toBe(409);
    const release = await api(`/api/v1/moderation/cases/${caseId}/release`, {
      method: "POST",
      token: a.accessToken,
    });
    expect(release.status).toBe(409);
  });

  it("release returns the case to the queue; a non-holder's release is 409", async () => {
    const [a, b, creator] = await Promise.all([
      seedModerator("clmr"),
      seedModerator("clms"),
      seedAccount({ tag: "clmt", channel: true }),
    ]);
    const { caseId } = await videoCase(creator);
    await claim(a, caseId);
    const release = (who: typeof a) =>
      api(`/api/v1/moderation/cases/${caseId}/release`, { method: "POST", token: who.accessToken });
    expect((await release(b)).status).toBe(409);
    const released = await release(a);
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ state: "open", claimedBy: null });
    expect((await claim(b, caseId)).status).toBe(200);
    expect(await auditOf(caseId, "moderation.case.release")).toHaveLength(1);
  });

  it("a moderator never takes a case about their own content (403); another moderator does", async () => {
    const [own, other] = await Promise.all([
      seedAccount({ tag: "clmo", roles: ["moderator"], channel: true }),
      seedModerator("clmp"),
    ]);
    const { caseId } = await videoCase(own);
    const refused = await claim(own, caseId);
    expect(refused.status).toBe(403);
    expect((await decide(own, caseId, { decision: "dismiss" })).status).toBe(403);
    expect((await claim(other, caseId)).status).toBe(200);
  });

  it("a moderator cannot read a case about their own content (who reported them, what they wrote): 403", async () => {
    const [own, other, reporter] = await Promise.all([
      seedAccount({ tag: "clmr", roles: ["moderator"], channel: true }),
      seedModerator("clms"),
      seedAccount({ tag: "clmu" }),
    ]);
    const { caseId } = await videoCase(own, [reporter]);
    const refused = await api(`/api/v1/moderation/cases/${caseId}`, { token: own.accessToken });
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).not.toContain(reporter.accountId);
    const seen = await api(`/api/v1/moderation/cases/${caseId}`, { token: other.accessToken });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(await seen.json())).toContain(reporter.accountId);
  });
});
