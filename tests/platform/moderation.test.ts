// Trust and safety end to end on one real platform (workerd edge, origin transcoder) and Chromium,
// through the web pages: three viewers report a ready video in the watch page's dialog and it leaves
// search, its channel's listing and a viewer's home within seconds; a moderator claims the case in the queue and
// strikes it on the case page (a second moderator's claim meanwhile is a 409); the reporters see the
// outcome and are notified; the creator sees the warning in the studio and appeals it; the issuer is
// refused the appeal and a second moderator grants it; an admin verifies the audit chain on its page,
// and the audit API lists every one of these actions in order. docs/moderation.md has the rules.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAdmin, poll } from "./ads-lib";
import { launchChromium } from "./billing-lib";
import {
  freePort,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  startPlatform,
  stopPlatform,
} from "./lib";
import { makeClip } from "./media-lib";
import {
  type AuditRow,
  accountOf,
  auditLog,
  describeRows,
  indexOf,
  listedIn,
  nextCall,
  type Person,
  person,
  screenshotAll,
  signIn,
  tabOf,
  uploadReady,
  verifyEmail,
} from "./moderation-lib";
import { TAG } from "./web-lib";

/** ads-lib's makeAdmin signs its admin up with this password; the browser needs a full session. */
const ADMIN_PASSWORD = "a long ads admin password";
/** How long a page may take to show what a step waits for: the host is shared, two cores, often busy. */
const UI_MS = 20_000;

interface Notification {
  type: string;
  data: Record<string, string>;
}
interface Strike {
  id: string;
  kind: string;
  active: boolean;
}

describe("trust and safety end to end (Chromium through the pages, real edge and origin)", () => {
  let platform: Platform;
  let base = "";
  let dir = "";
  let browser: Browser;
  let admin: Person;
  let creator: Person;
  let mod1: Person;
  let mod2: Person;
  const viewers: Person[] = [];
  let channelId = "";
  let videoId = "";
  let caseId = "";
  let strikeId = "";
  let appealId = "";
  // A word no other title has, so search answers this video or nothing.
  const word = `quokka${TAG}`;
  const title = `Reported clip ${word}`;
  const notes: string[] = [];
  const started = Date.now();
  const everyone = () => [admin, creator, mod1, mod2, ...viewers].filter(Boolean);
  const secs = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

  /** The first step that failed: the story's later steps build on it, so they are skipped. */
  let failed: string | null = null;
  /** A step of the story: its failure screenshots every open tab into artifacts/moderation/; its time is noted. */
  const step = (name: string, fn: () => Promise<void>, ms = 90_000) =>
    it(
      name,
      async ({ onTestFailed, skip }) => {
        if (failed) skip(`an earlier step failed: ${failed}`);
        onTestFailed(async () => {
          failed ??= name;
          const shots = await screenshotAll(everyone(), name);
          notes.push(`FAILED: ${name}; screenshots: ${shots.join(", ") || "none"}`);
        });
        const t0 = Date.now();
        await fn();
        notes.push(`${secs(t0)}  ${name}`);
      },
      ms,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-moderation-e2e-"));
    const stateDir = join(dir, "state");
    mkdirSync(stateDir);
    platform = startPlatform({
      port: await freePort(),
      originPort: await freePort(),
      stateDir,
      env: { MARQUEE_DEMO: "0" },
    });
    base = platform.base;
    // 4 s at 180p: one short transcode on the platform's own origin.
    const clip = makeClip(join(dir, "clip.mp4"), { seconds: 4, size: "320x180", videoKbps: 200 });
    const chromium = launchChromium();
    chromium.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    await platformReady(platform);
    notes.push(`platform up after ${secs(started)}`);
    // The video first, so the origin transcodes it while everyone else is made.
    creator = await person(base, "creator");
    await creator.device.expect("POST", "/api/v1/me/channel", 201, {
      handle: `mod_${TAG}`,
      name: "Moderation E2E",
    });
    channelId = (await creator.device.expect<{ channelId: string }>("GET", "/api/v1/me", 200)).channelId;
    const uploaded = uploadReady(creator.device, clip, title);
    uploaded.catch(() => undefined);
    // admin:create writes the edge's D1 file from a second workerd (it retries a busy database).
    const adminEmail = `mod-admin-${TAG}@example.test`;
    const others = Promise.all(["viewer1", "viewer2", "viewer3", "mod1", "mod2"].map((n) => person(base, n)));
    others.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const making = Date.now();
    await makeAdmin(base, stateDir, adminEmail);
    notes.push(`admin:create took ${secs(making)}`);
    admin = await signIn(base, "admin", adminEmail, ADMIN_PASSWORD);
    const made = await others;
    viewers.push(...made.slice(0, 3));
    // Verified, as reporters whose reports count must be.
    await Promise.all(viewers.map((v) => verifyEmail(base, v)));
    [mod1, mod2] = made.slice(3) as [Person, Person];
    for (const m of [mod1, mod2])
      await admin.device.expect("PUT", `/api/v1/admin/users/${accountOf(m)}/role`, 200, {
        roles: ["moderator"],
      });
    browser = await chromium;
    videoId = await uploaded;
    notes.push(`the clip transcoded and ready ${secs(started)} after the start`);
    // Listed before anyone reports it: otherwise "gone from the listings" would prove nothing.
    await poll("the video in search, its channel's listing and a viewer's home", 30_000, async () => {
      const l = await listedIn(base, word, channelId, videoId, mod2.device);
      return l.search && l.channel && l.home;
    });
    notes.push(`set up in ${secs(started)}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    notes.push(`whole file ${secs(started)}`);
    console.log(notes.join("\n"));
    writeFileSync(join(ROOT, "artifacts/moderation-e2e.txt"), `${notes.join("\n")}\n`);
    if (platform) writeFileSync(join(ROOT, "artifacts/moderation-dev.log"), platform.output());
    if (platform) await stopPlatform(platform).catch(() => undefined);
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The video's own Report (comments and the channel may have theirs on the page too).
  const reportVideo = (page: Page) =>
    page.locator('[data-testid="report-open"][aria-label="Report this video"]');

  /** The viewer's watch page, open with its Report button shown. */
  const watchPage = async (v: Person) => {
    const page = await tabOf(browser, v);
    await page.goto(`${base}/watch/${videoId}`);
    // Three tabs load the watch page (and its player) at once: a longer wait than one page's.
    await reportVideo(page).waitFor({ timeout: 3 * UI_MS });
    return page;
  };

  /** Files a report through the watch page's dialog; answers the report id. */
  const reportInDialog = async (page: Page, text: string) => {
    await reportVideo(page).click({ timeout: UI_MS });
    const dialog = page.getByTestId("report-dialog");
    await expect.poll(() => dialog.isVisible(), { timeout: UI_MS }).toBe(true);
    await dialog.getByTestId("report-reason-spam_or_misleading").check({ timeout: UI_MS });
    await dialog.getByTestId("report-text").fill(text);
    const answer = nextCall(page, "POST", /^\/api\/v1\/reports$/);
    await dialog.getByTestId("report-submit").click();
    const res = await answer;
    expect(res.status(), await res.text()).toBe(201);
    const filed = (await res.json()) as { id: string };
    // What the dialog sent is what was filed.
    expect(filed).toMatchObject({
      targetType: "video",
      targetId: videoId,
      reason: "spam_or_misleading",
      text,
    });
    await expect.poll(() => dialog.isVisible(), { timeout: UI_MS }).toBe(false);
    return filed.id;
  };

  step(
    "three viewers report the video through the watch page's dialog; the third report takes it out of search, its channel's listing and a viewer's home within seconds; its owner still reads it",
    async () => {
      // The three watch pages load side by side; the reports go one after the other.
      const opening = Date.now();
      const pages = await Promise.all(viewers.map(watchPage));
      notes.push(`  three watch pages open, Report shown, in ${secs(opening)}`);
      for (const [i, v] of viewers.entries()) {
        const t0 = Date.now();
        await reportInDialog(pages[i] as Page, `report ${i + 1}: this clip is spam`);
        notes.push(`  report ${i + 1} through the dialog in ${secs(t0)}`);
        if (i === 0) {
          // The same account again while its report is open: 409 (after the hide it would be a 404).
          const again = await v.device.call("POST", "/api/v1/reports", {
            targetType: "video",
            targetId: videoId,
            reason: "other",
          });
          expect(again.status, again.text).toBe(409);
        }
        if (i < viewers.length - 1)
          expect(
            await listedIn(base, word, channelId, videoId, mod2.device),
            `listed after ${i + 1} report(s)`,
          ).toEqual({
            search: true,
            channel: true,
            home: true,
          });
      }
      const t0 = Date.now();
      await poll("the video to leave search, its channel's listing and the home feed", 10_000, async () => {
        const l = await listedIn(base, word, channelId, videoId, mod2.device);
        return !l.search && !l.channel && !l.home;
      });
      notes.push(`  gone from search, channel and home ${Date.now() - t0} ms after the third report`);
      const anonymous = await fetch(`${base}/api/v1/videos/${videoId}`);
      expect(anonymous.status, "a held video, asked for by anyone").toBe(404);
      await creator.device.expect("GET", `/api/v1/videos/${videoId}`, 200);
    },
  );

  step(
    "a moderator claims the case in the queue and strikes it on the case page; a second moderator's claim meanwhile is a 409",
    async () => {
      const page = await tabOf(browser, mod1);
      await page.goto(`${base}/moderation`);
      const row = page.locator(`[data-testid="queue-row"][data-target-id="${videoId}"]`);
      await row.waitFor({ timeout: UI_MS });
      expect(await row.getByTestId("queue-hidden").isVisible(), "the queue marks it auto-hidden").toBe(true);
      const claimed = nextCall(page, "POST", /^\/api\/v1\/moderation\/cases\/[^/]+\/claim$/);
      await row.getByTestId("queue-claim").click();
      const claim = await claimed;
      expect(claim.status(), await claim.text()).toBe(200);
      caseId = new URL(claim.url()).pathname.split("/")[5] ?? "";
      const refused = await mod2.device.call("POST", `/api/v1/moderation/cases/${caseId}/claim`);
      expect(refused.status, refused.text).toBe(409);

      // The queue's claim goes on to the case page, where the claim shows as the moderator's own.
      await page.waitForURL((u) => u.pathname === `/moderation/cases/${caseId}`, { timeout: UI_MS });
      const status = page.getByTestId("case-claim-status");
      await expect.poll(() => status.getAttribute("data-held"), { timeout: UI_MS }).toBe("mine");
      expect(await page.getByTestId("case-claim").count(), "no claim button on a case one holds").toBe(0);
      await page.getByTestId("case-decision-strike").check({ timeout: UI_MS });
      await page.getByTestId("case-note").fill("Spam, reported by three viewers.");
      await page.getByTestId("case-decide").click();
      const decided = nextCall(page, "POST", /^\/api\/v1\/moderation\/cases\/[^/]+\/decision$/);
      await page.getByTestId("case-decide-confirm").click({ timeout: UI_MS });
      const decision = await decided;
      expect(decision.status(), await decision.text()).toBe(200);
      await expect
        .poll(() => page.getByTestId("case-state").getAttribute("data-state"), { timeout: UI_MS })
        .toBe("decided");
      const after = await mod1.device.expect<{ case: { decision: string; decidedBy: string } }>(
        "GET",
        `/api/v1/moderation/cases/${caseId}`,
        200,
      );
      expect(after.case).toMatchObject({ decision: "strike", decidedBy: accountOf(mod1) });
      expect((await fetch(`${base}/api/v1/videos/${videoId}`)).status, "the removed video").toBe(404);
    },
  );

  step("each reporter's /me/reports shows the outcome and their inbox has report.resolved", async () => {
    const page = await tabOf(browser, viewers[0] as Person);
    await page.goto(`${base}/me/reports`);
    const row = page.getByTestId("my-reports-row");
    await expect.poll(() => row.count(), { timeout: UI_MS }).toBe(1);
    expect(await row.getAttribute("data-state")).toBe("upheld");
    expect(await row.getAttribute("data-outcome")).toBe("strike");
    // What the person reads: the state and the outcome in words.
    expect(await row.getByTestId("report-state").textContent()).toMatch(/action taken/i);
    expect(await row.getByTestId("report-outcome").textContent()).toMatch(/strike/i);
    for (const v of viewers) {
      const mine = await v.device.expect<{ items: { state: string; outcome: string | null }[] }>(
        "GET",
        "/api/v1/me/reports",
        200,
      );
      expect(mine.items, v.name).toMatchObject([{ state: "upheld", outcome: "strike" }]);
      const inbox = await poll(`${v.name}'s report.resolved`, 10_000, async () => {
        const n = await v.device.expect<{ items: Notification[] }>("GET", "/api/v1/me/notifications", 200);
        return n.items.find((x) => x.type === "report.resolved");
      });
      expect(inbox.data, v.name).not.toHaveProperty("videoId");
    }
  });

  step("the creator sees the warning on /studio/strikes and appeals it there, once", async () => {
    const mine = await creator.device.expect<{ items: Strike[] }>("GET", "/api/v1/me/strikes", 200);
    expect(mine.items, JSON.stringify(mine)).toMatchObject([{ kind: "warning", active: true }]);
    strikeId = (mine.items[0] as Strike).id;
    const page = await tabOf(browser, creator);
    await page.goto(`${base}/studio/strikes`);
    const rows = page.getByTestId("strike-row");
    await expect.poll(() => rows.count(), { timeout: UI_MS }).toBe(1);
    const row = page.locator(`[data-testid="strike-row"][data-strike-id="${strikeId}"]`);
    expect(await row.getAttribute("data-kind")).toBe("warning");
    expect(await row.getByTestId("strike-status").getAttribute("data-status")).toBe("active");
    expect(await row.textContent()).toMatch(/warning/i);
    await row.getByTestId("appeal-open").click();
    await page.getByTestId("appeal-text").fill("It was a test pattern, not spam.");
    const appealed = nextCall(page, "POST", /^\/api\/v1\/me\/strikes\/[^/]+\/appeal$/);
    await page.getByTestId("appeal-submit").click();
    const res = await appealed;
    expect(res.status(), await res.text()).toBe(201);
    appealId = ((await res.json()) as { id: string }).id;
    await expect
      .poll(() => row.getByTestId("appeal-state").getAttribute("data-state"), { timeout: UI_MS })
      .toBe("open");
    expect(await row.getByTestId("appeal-open").count(), "appealed once: no second Appeal button").toBe(0);
    const twice = await creator.device.call("POST", `/api/v1/me/strikes/${strikeId}/appeal`, {
      text: "Again.",
    });
    expect(twice.status, twice.text).toBe(409);
  });

  step(
    "the strike's issuer is refused the appeal (page and API); a second moderator claims and grants it on /moderation/appeals; the warning is lifted and the creator told",
    async () => {
      const card = (p: Page) => p.locator(`[data-testid="appeal-row"][data-appeal-id="${appealId}"]`);
      const issuerPage = await tabOf(browser, mod1);
      await issuerPage.goto(`${base}/moderation/appeals`);
      await card(issuerPage).getByTestId("appeal-own").waitFor({ timeout: UI_MS });
      expect(await card(issuerPage).getByTestId("appeal-claim").isDisabled()).toBe(true);
      const issuer = await mod1.device.call("POST", `/api/v1/moderation/appeals/${appealId}/claim`);
      expect(issuer.status, issuer.text).toBe(403);

      const page = await tabOf(browser, mod2);
      await page.goto(`${base}/moderation/appeals`);
      const row = card(page);
      const claimed = nextCall(page, "POST", /^\/api\/v1\/moderation\/appeals\/[^/]+\/claim$/);
      await row.getByTestId("appeal-claim").click({ timeout: UI_MS });
      expect((await claimed).status()).toBe(200);
      await row.getByTestId("appeal-note").fill("A test pattern is not spam.", { timeout: UI_MS });
      const granted = nextCall(page, "POST", /^\/api\/v1\/moderation\/appeals\/[^/]+\/decision$/);
      await row.getByTestId("appeal-grant").click({ timeout: UI_MS });
      const res = await granted;
      expect(res.status(), await res.text()).toBe(200);
      await expect.poll(() => row.getAttribute("data-state"), { timeout: UI_MS }).toBe("granted");
      const mine = await creator.device.expect<{ items: Strike[] }>("GET", "/api/v1/me/strikes", 200);
      expect(
        mine.items.find((s) => s.id === strikeId),
        JSON.stringify(mine),
      ).toMatchObject({ active: false, appeal: { id: appealId, state: "granted" } });
      // The creator's page says so too.
      const studio = await tabOf(browser, creator);
      await studio.reload();
      const strikeRow = studio.locator(`[data-testid="strike-row"][data-strike-id="${strikeId}"]`);
      await expect
        .poll(() => strikeRow.getByTestId("strike-status").getAttribute("data-status"), { timeout: UI_MS })
        .toBe("lifted");
      expect(await strikeRow.getByTestId("appeal-state").getAttribute("data-state")).toBe("granted");
      await poll("the creator's appeal.decided", 10_000, async () => {
        const n = await creator.device.expect<{ items: Notification[] }>(
          "GET",
          "/api/v1/me/notifications",
          200,
        );
        return n.items.some((x) => x.type === "appeal.decided");
      });
    },
  );

  step("an admin verifies the audit chain on /admin/audit and sees it intact", async () => {
    const page = await tabOf(browser, admin);
    await page.goto(`${base}/admin/audit`);
    const verified = nextCall(page, "GET", /^\/api\/v1\/admin\/audit\/verify$/);
    await page.getByTestId("audit-verify").click({ timeout: UI_MS });
    const res = await verified;
    expect(res.status(), await res.text()).toBe(200);
    const verdict = (await res.json()) as { rows: number };
    expect(verdict).toMatchObject({ ok: true, pending: 0, firstBrokenSeq: null });
    expect(verdict.rows, "rows in the log").toBeGreaterThan(0);
    const shown = page.getByTestId("audit-verify-result");
    await expect.poll(() => shown.getAttribute("data-ok"), { timeout: UI_MS }).toBe("true");
    expect(await shown.textContent()).toMatch(new RegExp(`intact: ${verdict.rows} rows`, "i"));
  });

  step("GET /admin/audit lists every action of this story in order, sealed into one chain", async () => {
    // Admins only: a moderator is refused the log, and a viewer the queue.
    expect((await mod1.device.call("GET", "/api/v1/admin/audit")).status).toBe(403);
    expect((await viewers[0]?.device.call("GET", "/api/v1/moderation/cases"))?.status).toBe(403);
    const rows = await auditLog(admin.device);
    const story = describeRows(rows);
    notes.push(`audit log:\n${story}`);
    for (const [i, r] of rows.entries()) {
      expect(r.hash, story).toMatch(/^[0-9a-f]{64}$/);
      if (i > 0) {
        expect(r.seq, story).toBeGreaterThan((rows[i - 1] as AuditRow).seq);
        expect(r.prevHash, `row #${r.seq}'s link\n${story}`).toBe((rows[i - 1] as AuditRow).hash);
      }
    }
    const at = (from: number, want: Parameters<typeof indexOf>[2]) => {
      const i = indexOf(rows, from, want);
      expect(i, `${JSON.stringify(want)} after row ${from}\n${story}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const adminId = accountOf(admin);
    const [m1, m2] = [accountOf(mod1), accountOf(mod2)];
    let i = at(0, { action: "admin.roles.set", actor: adminId, targetId: m1 });
    i = at(i + 1, { action: "admin.roles.set", actor: adminId, targetId: m2 });
    i = at(i + 1, { action: "moderation.auto_hide", actor: null, targetId: videoId });
    expect((rows[i] as AuditRow).actor.roles).toEqual(["system"]);
    i = at(i + 1, { action: "moderation.case.claim", actor: m1, targetId: caseId });
    const decide = at(i + 1, { action: "moderation.case.decide", actor: m1, targetId: videoId });
    // The warning's own row is in the decision's batch, just before the decision's.
    const strike = at(i + 1, { action: "moderation.strike.issue", actor: m1, targetId: strikeId });
    expect(strike, story).toBe(decide - 1);
    i = at(Math.max(decide, strike) + 1, {
      action: "moderation.appeal.claim",
      actor: m2,
      targetId: appealId,
    });
    at(i + 1, { action: "moderation.appeal.decide", actor: m2, targetId: appealId });
    // The refused attempts changed nothing, so they left no row.
    expect(indexOf(rows, 0, { action: "moderation.case.claim", actor: m2 }), story).toBe(-1);
    expect(indexOf(rows, 0, { action: "moderation.appeal.claim", actor: m1 }), story).toBe(-1);
  });
});
