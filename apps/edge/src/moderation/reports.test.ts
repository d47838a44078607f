import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { apiJson, listAll, seedAccount } from "../../test/harness";
import { loadConfig } from "../config";
import { reports } from "../db/schema";
import type { Services } from "../services";
import type { Actor } from "../types";
import { reportsEventHandlers } from "./report-erasure";
import type { Report } from "./report-schemas";
import { fileReport } from "./reports";
import {
  fileReportAs,
  openCaseOf,
  postReport,
  putSettings,
  reportBy,
  reportsOfCase,
  resetSettings,
  seedComment,
  seedCreatorWithVideo,
  seedReporters,
  seedVideo,
} from "./test-utils";

const problem = async (res: Response) =>
  (await res.json()) as { code: string; detail?: string; errors?: { path: string }[] };

describe("POST /api/v1/reports", () => {
  it("files a report (201) as the account and profile, with its case, and lists it under /me/reports", async () => {
    const { videoId } = await seedCreatorWithVideo("rpok");
    const [viewer] = await seedReporters(1, "rpokv");
    if (!viewer) throw new Error("no reporter");
    const filed = await fileReportAs(viewer, {
      targetType: "video",
      targetId: videoId,
      reason: "violent_or_repulsive",
      text: "  at the end  ",
      atSeconds: 12.5,
    });
    expect(filed).toMatchObject({
      targetType: "video",
      targetId: videoId,
      reason: "violent_or_repulsive",
      text: "at the end",
      atSeconds: 12.5,
      state: "open",
      outcome: null,
      resolvedAt: null,
    });
    const kase = await openCaseOf("video", videoId);
    expect(kase).toMatchObject({ state: "open", openReports: 1, weight: 1, hiddenAt: null });
    const [row] = await reportsOfCase(kase?.id ?? "");
    expect(row).toMatchObject({
      id: filed.id,
      reporterAccountId: viewer.accountId,
      reporterProfileId: viewer.profileId,
    });

    const mine = await apiJson<{ items: Report[] }>("/api/v1/me/reports", 200, { token: viewer.accessToken });
    expect(mine.items.map((r) => [r.id, r.state])).toEqual([[filed.id, "open"]]);
  });

  it("refuses your own content (403), a second open report (409) and a target you cannot see (404)", async () => {
    const { creator, videoId, channelId } = await seedCreatorWithVideo("rpown");
    const [viewer] = await seedReporters(1, "rpownv");
    if (!viewer) throw new Error("no reporter");
    const ownComment = await seedComment(videoId, viewer);
    for (const [type, id] of [
      ["video", videoId],
      ["channel", channelId],
    ] as const) {
      const res = await postReport(creator.accessToken, { targetType: type, targetId: id });
      expect(res.status).toBe(403);
      expect((await problem(res)).detail).toBe(`You cannot report your own ${type}`);
    }
    const own = await postReport(viewer.accessToken, { targetType: "comment", targetId: ownComment });
    expect(own.status).toBe(403);
    expect((await problem(own)).detail).toBe("You cannot report your own comment");

    await fileReportAs(viewer, { targetType: "video", targetId: videoId });
    const twice = await postReport(viewer.accessToken, {
      targetType: "video",
      targetId: videoId,
      reason: "other",
    });
    expect(twice.status).toBe(409);
    expect((await problem(twice)).code).toBe("conflict");
    // The account, not the profile, reports once: a second profile of it is refused too.
    const family = await seedAccount({ tag: "rpfam", profiles: [{ maturity: "adult" }] });
    await fileReportAs(
      { accessToken: family.profiles[0]?.token ?? "" },
      { targetType: "channel", targetId: channelId },
    );
    const other = await postReport(family.profiles[1]?.token ?? "", {
      targetType: "channel",
      targetId: channelId,
    });
    expect(other.status).toBe(409);

    const privateVideo = await seedVideo(creator, { visibility: "private" });
    for (const [type, id] of [
      ["video", "vid_doesnotexist0"],
      ["video", privateVideo],
      ["comment", "cmt_doesnotexist0"],
      ["channel", "chn_doesnotexist0"],
    ] as const) {
      const res = await postReport(viewer.accessToken, { targetType: type, targetId: id });
      expect(res.status, `${type} ${id}`).toBe(404);
    }
    // A kids profile cannot see an adult video, so it cannot report it either.
    const kidsFamily = await seedAccount({ tag: "rpkid", profiles: [{ maturity: "kids" }] });
    const kids = await postReport(kidsFamily.profiles[1]?.token ?? "", {
      targetType: "video",
      targetId: videoId,
    });
    expect(kids.status).toBe(404);
  });

  it("answers 400 naming the field: a reason outside the list, text over 2000, a position past the end or on a comment", async () => {
    const { videoId } = await seedCreatorWithVideo("rpbad");
    const [viewer] = await seedReporters(1, "rpbadv");
    if (!viewer) throw new Error("no reporter");
    const comment = await seedComment(videoId, (await seedReporters(1, "rpbadc"))[0] ?? viewer);
    const cases: [Record<string, unknown>, string][] = [
      [{ targetType: "video", targetId: videoId, reason: "boring" }, "json.reason"],
      [{ targetType: "video", targetId: videoId, text: "x".repeat(2001) }, "json.text"],
      [{ targetType: "video", targetId: videoId, atSeconds: -1 }, "json.atSeconds"],
      [{ targetType: "video", targetId: videoId, atSeconds: 601 }, "json.atSeconds"],
      [{ targetType: "comment", targetId: comment, atSeconds: 1 }, "json.atSeconds"],
      [{ targetType: "playlist", targetId: videoId }, "json.targetType"],
      [{ targetType: "video", targetId: "../etc" }, "json.targetId"],
      [{ targetType: "video", targetId: videoId, extra: 1 }, "json"],
    ];
    for (const [json, path] of cases) {
      const res = await postReport(viewer.accessToken, json as never);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe("validation_failed");
      expect(
        p.errors?.map((e) => e.path).some((e) => e.startsWith(path)),
        JSON.stringify(p.errors),
      ).toBe(true);
    }
    // Exactly 2000 characters (code points) is fine; the video's last second is fine.
    await fileReportAs(viewer, {
      targetType: "video",
      targetId: videoId,
      text: "é".repeat(2000),
      atSeconds: 600,
    });
  });

  it("answers 401 without a token", async () => {
    const res = await postReport("", { targetType: "video", targetId: "vid_x" });
    expect(res.status).toBe(401);
  });

  it("limits reports per account per hour (429 with retry-after); refused reports do not count", async () => {
    const { creator, videoId } = await seedCreatorWithVideo("rplim");
    const [viewer] = await seedReporters(1, "rplimv");
    if (!viewer) throw new Error("no reporter");
    // A refused report (here: a second one of the same target) costs nothing.
    await fileReportAs(viewer, { targetType: "video", targetId: videoId });
    expect((await postReport(viewer.accessToken, { targetType: "video", targetId: videoId })).status).toBe(
      409,
    );
    // The default: 20 an hour. Comments are cheap targets.
    const targets = await Promise.all(Array.from({ length: 20 }, () => seedComment(videoId, creator)));
    for (const id of targets.slice(0, 19))
      await fileReportAs(viewer, { targetType: "comment", targetId: id });
    const over = await postReport(viewer.accessToken, { targetType: "comment", targetId: targets[19] ?? "" });
    expect(over.status).toBe(429);
    expect((await problem(over)).code).toBe("rate_limited");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account is not limited by it.
    const [other] = await seedReporters(1, "rplimo");
    await fileReportAs(other ?? viewer, { targetType: "comment", targetId: targets[19] ?? "" });
  });

  it("is refused (403) while the reports flag is off for the account, and works again when on", async () => {
    const { videoId } = await seedCreatorWithVideo("rpflag");
    const [viewer] = await seedReporters(1, "rpflagv");
    if (!viewer) throw new Error("no reporter");
    await putSettings({ flags: { reports: { enabled: false, rolloutPct: 100 } } });
    try {
      const res = await postReport(viewer.accessToken, { targetType: "video", targetId: videoId });
      expect(res.status).toBe(403);
      expect((await problem(res)).code).toBe("forbidden");
    } finally {
      await resetSettings();
    }
    await fileReportAs(viewer, { targetType: "video", targetId: videoId });
  });
});

describe("after the batch", () => {
  it("a failing media revocation after an auto-hide is logged; the report stands (no 500)", async () => {
    const { videoId } = await seedCreatorWithVideo("rprev");
    const [a, b, c] = await seedReporters(3, "rprevr");
    if (!a || !b || !c) throw new Error("no reporters");
    await reportBy([a, b], { targetType: "video", targetId: videoId });
    // KV refusing writes (an outage; the platform's binding, not one of our services).
    const kv = env.SETTINGS;
    const failingKv = {
      get: kv.get.bind(kv),
      getWithMetadata: kv.getWithMetadata.bind(kv),
      list: kv.list.bind(kv),
      delete: kv.delete.bind(kv),
      put: async () => {
        throw new Error("KV is unavailable");
      },
    } as unknown as KVNamespace;
    const logged: { level: string; fields: Record<string, unknown> }[] = [];
    const s = {
      env: { ...env, SETTINGS: failingKv },
      config: loadConfig(env),
      db: testDb(),
      log: (level: string, fields: Record<string, unknown>) => void logged.push({ level, fields }),
    } as unknown as Services;
    const actor: Actor = {
      accountId: c.accountId,
      sessionId: "ses_test",
      email: c.email,
      emailVerified: true,
      roles: ["viewer"],
      profileId: c.profileId,
      profileMaturity: "adult",
    };
    const filed = await fileReport(s, actor, { targetType: "video", targetId: videoId, reason: "other" });
    expect(filed).toMatchObject({ targetId: videoId, state: "open" });
    expect((await openCaseOf("video", videoId))?.hiddenAt).not.toBeNull();
    expect(logged).toContainEqual({
      level: "error",
      fields: expect.objectContaining({ event: "media-revoke-failed", videoId }),
    });
  }, 20_000);
});

describe("GET /api/v1/me/reports", () => {
  it("pages the account's own reports newest first, with state; others' reports are not there", async () => {
    const { creator, videoId } = await seedCreatorWithVideo("rpme");
    const [viewer, stranger] = await seedReporters(2, "rpmev");
    if (!viewer || !stranger) throw new Error("no reporter");
    const comments = await Promise.all([1, 2, 3].map(() => seedComment(videoId, creator)));
    const filed: string[] = [];
    for (const id of comments)
      filed.push((await fileReportAs(viewer, { targetType: "comment", targetId: id })).id);
    await fileReportAs(stranger, { targetType: "video", targetId: videoId });
    const all = await listAll<Report>("/api/v1/me/reports", viewer.accessToken, 2);
    expect(all.map((r) => r.id)).toEqual(filed.reverse());
    expect(all.every((r) => r.state === "open" && r.targetType === "comment")).toBe(true);
    // Once its case is decided (moderation's decision writes these), the list shows the outcome.
    const resolvedAt = Date.now();
    await testDb()
      .update(reports)
      .set({ state: "upheld", outcome: "remove", resolvedAt })
      .where(eq(reports.id, filed[0] ?? ""));
    const [newest] = await listAll<Report>("/api/v1/me/reports", viewer.accessToken, 1);
    expect(newest).toMatchObject({
      id: filed[0],
      state: "upheld",
      outcome: "remove",
      resolvedAt: new Date(resolvedAt).toISOString(),
    });
    const bad = await apiJson<{ code: string }>("/api/v1/me/reports?cursor=nope", 400, {
      token: viewer.accessToken,
    });
    expect(bad.code).toBe("validation_failed");
  });
});

describe("GET /api/v1/me/reports as a kids profile", () => {
  it("lists only that profile's own reports, not the grown-ups' words", async () => {
    const { videoId, channelId } = await seedCreatorWithVideo("rpkid");
    const family = await seedAccount({ tag: "rpkidf", profiles: [{ maturity: "kids" }] });
    const [adult, kids] = family.profiles;
    if (!adult || !kids) throw new Error("no profiles");
    const grownUp = await fileReportAs(
      { accessToken: adult.token },
      { targetType: "video", targetId: videoId, text: "words a child should not read" },
    );
    const own = await fileReportAs(
      { accessToken: kids.token },
      { targetType: "channel", targetId: channelId },
    );
    const asKids = await listAll<Report>("/api/v1/me/reports", kids.token, 10);
    expect(asKids.map((r) => r.id)).toEqual([own.id]);
    const asAdult = await listAll<Report>("/api/v1/me/reports", adult.token, 10);
    expect(asAdult.map((r) => r.id)).toEqual([own.id, grownUp.id]);
  });
});

describe("a deleted account", () => {
  it("its reports go with it and the open cases they were in are recounted", async () => {
    const { videoId } = await seedCreatorWithVideo("rpdel");
    const [stays, leaves] = await seedReporters(2, "rpdelr");
    if (!stays || !leaves) throw new Error("no reporters");
    await reportBy([stays, leaves], { targetType: "video", targetId: videoId });
    // Another case whose counts are right must come out unchanged.
    const other = await seedVideo(await seedAccount({ tag: "rpdelc", channel: true }));
    await fileReportAs(stays, { targetType: "video", targetId: other });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 2, weight: 2 });

    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaves.accessToken,
      json: { password: leaves.password },
    });
    const handler = reportsEventHandlers["account.deleted"]?.[0];
    const event = {
      id: `evt_${leaves.accountId}`,
      type: "account.deleted" as const,
      occurredAt: new Date().toISOString(),
      payload: { accountId: leaves.accountId, profileIds: [leaves.profileId] },
    };
    await handler?.(event, env);
    await handler?.(event, env);
    const kase = await openCaseOf("video", videoId);
    expect(await reportsOfCase(kase?.id ?? "")).toHaveLength(1);
    expect(kase).toMatchObject({ openReports: 1, weight: 1 });
    expect(await openCaseOf("video", other)).toMatchObject({ openReports: 1, weight: 1 });
  });
});

describe("a deleted profile", () => {
  it("leaves its reports counted but forgets which profile filed them (idempotently)", async () => {
    const { videoId } = await seedCreatorWithVideo("rperase");
    const family = await seedAccount({ tag: "rperasef", profiles: [{ name: "Leaving" }] });
    const [stay, leave] = family.profiles;
    if (!stay || !leave) throw new Error("no profiles");
    const kept = await fileReportAs({ accessToken: stay.token }, { targetType: "video", targetId: videoId });
    const comment = await seedComment(videoId, (await seedReporters(1, "rperasec"))[0] ?? family);
    const forgotten = await fileReportAs(
      { accessToken: leave.token },
      { targetType: "comment", targetId: comment },
    );
    const handler = reportsEventHandlers["profile.deleted"]?.[0];
    const event = {
      id: `evt_${leave.id}`,
      type: "profile.deleted" as const,
      occurredAt: new Date().toISOString(),
      payload: { accountId: family.accountId, profileId: leave.id },
    };
    await handler?.(event, env);
    await handler?.(event, env);
    const row = (id: string) => testDb().select().from(reports).where(eq(reports.id, id)).get();
    expect(await row(forgotten.id)).toMatchObject({ reporterProfileId: null, state: "open" });
    expect(await row(kept.id)).toMatchObject({ reporterProfileId: stay.id });
  });
});
