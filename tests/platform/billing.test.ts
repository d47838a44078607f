// Billing end to end on the real platform (edge, origin, payments sandbox over HTTP) and Chromium:
// Stripe and PayPal, webhook retries, a failed payment's grace period, the concurrent-stream limit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessOf,
  type Billing,
  billingOf,
  billingWhen,
  checkout,
  clickPay,
  DAY,
  Device,
  eventually,
  heartbeating,
  invoicesOf,
  launchChromium,
  leaveInApp,
  mailbox,
  masterHeights,
  menuLevels,
  newCreator,
  newViewer,
  type Playback,
  type Problem,
  peekPlayback,
  planIs,
  playsOn,
  Sandbox,
  seenInPlayer,
  signedInTab,
  streamCalls,
  subscribe,
  USER_AGENTS,
  watchPlayer,
} from "./billing-lib";
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
import { type Media, ready, uploadByApi } from "./web-lib";

/** BILLING_PAST_DUE_GRACE_SECONDS and STREAM_LAPSE_SECONDS of this run's edge. */
const GRACE_SECONDS = 6;
const LAPSE_SECONDS = 8;
/** The acceptance bound: paid → the plan's renditions and videos play (in the open pages too). */
const PAID_TO_PLAYING_MS = 5_000;
const FREE = { plan: "free", maxHeight: 720, streams: 1, premiumContent: false };
const FREE_ACCESS = { maxHeight: 720, premium: 403, premiumCode: "plan_required" };

describe("billing end to end (Chromium, payments sandbox over HTTP, real edge and origin)", () => {
  let platform: Platform;
  let base: string;
  let sandbox: Sandbox;
  let dir: string;
  let browser: Browser;
  let publicId = "";
  let premiumId = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-billing-e2e-"));
    mkdirSync(join(dir, "state"));
    platform = startPlatform({
      port: await freePort(),
      originPort: await freePort(),
      stateDir: join(dir, "state"),
      env: {
        MARQUEE_DEMO: "0",
        SANDBOX_RETRY_DELAYS_MS: "200,500,1000,2000",
        MARQUEE_EDGE_VARS: `BILLING_PAST_DUE_GRACE_SECONDS=${GRACE_SECONDS},STREAM_LAPSE_SECONDS=${LAPSE_SECONDS}`,
      },
    });
    base = platform.base;
    // 1080p sources, so the ladder has a rung above the free plan's 720p cap; 2 s keeps the
    // transcode short on two cores. Made while the platform boots.
    const clips = ["public", "premium"].map((name) =>
      makeClip(join(dir, `${name}.mp4`), { seconds: 2, size: "1920x1080", videoKbps: 1500 }),
    );
    await platformReady(platform);
    sandbox = new Sandbox(platform.sandboxUrl);
    const creator = await newCreator(base);
    const [ids, launched] = await Promise.all([
      Promise.all(clips.map((clip, i) => uploadByApi(creator, `Billing clip ${i}`, "teen", clip))),
      launchChromium(),
    ]);
    [publicId = "", premiumId = ""] = ids;
    browser = launched;
    await creator.call("PATCH", `/api/v1/videos/${premiumId}`, { visibility: "premium" }, 200);
    await Promise.all(ids.map((id) => ready(creator, id)));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    // The supervisor's output (edge, sandbox, origin) is what explains a failure here.
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    if (platform) writeFileSync(join(ROOT, "artifacts/billing-dev.log"), platform.output());
    if (platform) await stopPlatform(platform).catch(() => undefined);
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tabOf = (d: Device, userAgent?: string) => signedInTab(browser, d, userAgent);
  const access = (d: Device) => accessOf(d, publicId, premiumId);

  it("Stripe in the browser: a free viewer upgrades on the sandbox's checkout page and within 5 s plays 1080p and the premium video; cancelled in the portal it stays premium until the sandbox clock passes the period's end, then is free", async () => {
    const { device: viewer } = await newViewer(base, "stripe-viewer");
    const free = await billingOf(viewer);
    expect(free.entitlements).toMatchObject(FREE);
    expect(free.subscription).toBeNull();

    // Free: the 1080p source is served up to 720p, the premium video is refused with the plan it needs.
    const capped = await peekPlayback(viewer, publicId);
    expect(capped.status, capped.text).toBe(200);
    expect(capped.body).toMatchObject({ maxHeight: 720, sourceHeight: 1080 });
    expect(Math.max(...(await masterHeights(capped.body.manifestUrl)))).toBe(720);
    const locked = await peekPlayback(viewer, premiumId);
    expect(locked.status, locked.text).toBe(403);
    expect(locked.body).toMatchObject({ code: "plan_required", requiredPlan: "premium" });

    // Open before paying, in the paying browser: the premium video's upgrade panel; 1080p capped at 720.
    const premiumTab = await tabOf(viewer);
    await premiumTab.goto(`${base}/watch/${premiumId}`);
    await premiumTab.getByTestId("upgrade-panel").waitFor({ timeout: 30_000 });
    const cappedTab = await premiumTab.context().newPage();
    await cappedTab.goto(`${base}/watch/${publicId}`);
    await playsOn(cappedTab, 0.5);
    const freeLevels = (await menuLevels(cappedTab)).map((l) => l.height);
    await cappedTab.getByTestId("quality-upgrade").getByText("Upgrade for 1080p").waitFor();
    expect(Math.max(...freeLevels)).toBe(720);
    await Promise.all([watchPlayer(premiumTab, 1080), watchPlayer(cappedTab, 1080)]);

    // A third tab: Plans → Premium → card → the sandbox's Checkout page → Pay → back on the billing page.
    const page = await premiumTab.context().newPage();
    await page.goto(`${base}/plans`);
    await page.getByRole("button", { name: "Choose Premium" }).click();
    await page.getByRole("button", { name: "Pay with card" }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${sandbox.url}/checkout/`), { timeout: 30_000 });
    const paidAt = await clickPay(page, base);
    expect(new URL(page.url()).pathname).toBe("/account/billing");

    // Nobody touches the open pages: the premium one plays by itself, the capped one's menu offers
    // 1080p; chosen, its frames are 1080 tall (ABR may get there first). All from the Pay click.
    const [offered, premiumAt, grantedAt] = await Promise.all([
      eventually("the open page's quality menu to offer 1080p", 20_000, async () => {
        const level = (await menuLevels(cappedTab)).find((l) => l.height === 1080);
        return level && { value: level.value, at: Date.now() - paidAt };
      }),
      eventually("the premium video to play by itself", 20_000, () => seenInPlayer(premiumTab, "playing")),
      eventually("the edge to grant 1080p and the premium video", PAID_TO_PLAYING_MS + 5_000, async () => {
        const a = await access(viewer);
        return a.maxHeight >= 1080 && a.premium === 200 && Date.now() - paidAt;
      }),
    ]);
    await cappedTab.getByTestId("quality-menu").selectOption(offered.value);
    const shown = await eventually("1080p on screen", 20_000, async () => {
      const h = await cappedTab.getByTestId("player-video").evaluate((v: Media) => v.videoHeight);
      return h === 1080 && Date.now() - paidAt;
    });
    const first = (await seenInPlayer(cappedTab, "height")) ?? Number.NaN;
    const t = { premium: premiumAt - paidAt, offered: offered.at, firstFrame: first - paidAt, shown };
    const why = `stripe: paid → granted ${grantedAt} ms, in the open pages ${JSON.stringify(t)} ms`;
    console.log(why);
    expect(grantedAt).toBeLessThanOrEqual(PAID_TO_PLAYING_MS);
    expect(Math.max(t.premium, t.offered, t.shown), why).toBeLessThanOrEqual(PAID_TO_PLAYING_MS);
    expect(await cappedTab.getByTestId("quality-upgrade").count()).toBe(0);
    await Promise.all([premiumTab.close(), cappedTab.close()]);
    const premium = await billingOf(viewer);
    expect(premium.entitlements).toMatchObject({ plan: "premium", premiumContent: true, streams: 4 });
    expect(premium.subscription).toMatchObject({ provider: "stripe", planId: "premium", status: "active" });
    expect(await masterHeights((await peekPlayback(viewer, publicId)).body.manifestUrl)).toContain(1080);

    // The portal: cancel, return; the plan holds until the period ends.
    await page.goto(`${base}/account/billing`);
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${sandbox.url}/portal/`), { timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel plan" }).click();
    await page.getByRole("button", { name: "Don't cancel" }).waitFor();
    await page.getByRole("link", { name: "Return to Marquee" }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${base}/account/billing`), { timeout: 30_000 });
    const canceling = await billingWhen(
      viewer,
      "the cancellation",
      (b) => !!b.subscription?.cancelAtPeriodEnd,
    );
    expect(canceling.entitlements.plan).toBe("premium");
    expect(canceling.subscription?.currentPeriodEnd).toBeTruthy();
    await page
      .getByTestId("billing-status")
      .getByText(/cancels on/)
      .waitFor({ timeout: 15_000 });
    await page.goto(`${base}/watch/${premiumId}`);
    await playsOn(page, 0.5);
    expect((await access(viewer)).premium).toBe(200);

    // The sandbox clock passes the period's end: customer.subscription.deleted → free.
    await page.goto(`${base}/account/billing`);
    await sandbox.advance(32 * DAY);
    const ended = await planIs(viewer, "free", 10_000);
    expect(ended.entitlements).toMatchObject(FREE);
    expect(await access(viewer)).toMatchObject(FREE_ACCESS);
    const deleted = (await sandbox.webhooks()).filter((e) => e.type === "customer.subscription.deleted");
    expect(deleted.some((e) => e.status === "delivered")).toBe(true);
    await page.context().close();
  });

  it("PayPal through the API and the sandbox's approval page: standard within 5 s of paying (1080p, no premium videos), cancelled it is paid through, and EXPIRED past that time makes it free", async () => {
    const { device: viewer } = await newViewer(base, "paypal-viewer");
    const url = await checkout(viewer, { provider: "paypal", planId: "standard", interval: "month" });
    expect(url.startsWith(`${sandbox.url}/paypal/approve/`), url).toBe(true);
    // Created but not approved: no access yet.
    expect((await billingOf(viewer)).entitlements.plan).toBe("free");

    const page = await tabOf(viewer);
    await page.goto(url);
    const paidAt = await clickPay(page, base);
    const opened = await eventually("1080p after approving", PAID_TO_PLAYING_MS + 5_000, async () => {
      const a = await access(viewer);
      return a.maxHeight >= 1080 && { ...a, ms: Date.now() - paidAt };
    });
    console.log(`paypal: approved → 1080p granted in ${opened.ms} ms`);
    expect(opened.ms).toBeLessThanOrEqual(PAID_TO_PLAYING_MS);
    expect(opened).toMatchObject({ maxHeight: 1080, premium: 403, premiumCode: "plan_required" });
    const standard = await billingOf(viewer);
    expect(standard.entitlements).toMatchObject({ plan: "standard", streams: 2, premiumContent: false });
    expect(standard.subscription).toMatchObject({ provider: "paypal", planId: "standard", status: "active" });
    await page.context().close();

    // Cancelled: PayPal stops renewing at once, the account keeps the plan it paid for.
    const cancelled = await viewer.expect<Billing>("POST", "/api/v1/me/billing/cancel", 200);
    expect(cancelled.entitlements.plan).toBe("standard");
    const paidThrough = await billingWhen(viewer, "CANCELLED", (b) => b.subscription?.status === "canceled");
    expect(paidThrough.entitlements.plan).toBe("standard");
    expect(paidThrough.subscription?.accessEndsAt ?? paidThrough.subscription?.currentPeriodEnd).toBeTruthy();
    expect((await access(viewer)).maxHeight).toBe(1080);

    await sandbox.advance(32 * DAY);
    const expired = await planIs(viewer, "free", 10_000);
    expect(expired.subscription?.status ?? "ended").toBe("ended");
    expect((await access(viewer)).maxHeight).toBe(720);
    const log = await sandbox.webhooks();
    expect(log.some((e) => e.type === "BILLING.SUBSCRIPTION.EXPIRED" && e.status === "delivered")).toBe(true);
  });

  // Shared by the renewal and payment-failure tests: one Stripe standard subscriber.
  let renewing: Device;
  let renewingEmail = "";
  let renewingSub = "";

  it("webhooks over real HTTP: a renewal whose subscription re-read fails is answered 5xx, retried by the sandbox and mirrored once; redelivering the applied invoice.paid changes nothing", async () => {
    const v = await newViewer(base, "renewing-viewer");
    renewing = v.device;
    renewingEmail = v.email;
    await subscribe(browser, renewing, { provider: "stripe", planId: "standard", interval: "month" });
    const before = await planIs(renewing, "standard");
    const firstInvoices = await invoicesOf(renewing);
    expect(firstInvoices.map((i) => [i.status, i.amountCents, i.currency])).toEqual([["paid", 999, "usd"]]);
    const logBefore = (await sandbox.settled()).length;
    // Aimed at this subscription alone: no other account's renewal can take the failures.
    renewingSub = await sandbox.stripeSubscriptionOf(renewing.tokens?.accountId ?? "");

    // The edge re-reads the subscription before applying a renewal's events. Its Stripe client
    // retries a 5xx twice itself (maxNetworkRetries 2), so four 500s outlast one delivery's three
    // tries: the edge must answer that delivery 5xx and apply the sandbox's retry.
    const failing = { count: 4, status: 500, pathPrefix: `/v1/subscriptions/${renewingSub}` };
    await sandbox.control("POST", "fail-next-requests", failing);
    await sandbox.advance(31 * DAY);
    const renewed = await eventually("the renewal to be mirrored", 20_000, async () => {
      const [b, inv] = await Promise.all([billingOf(renewing), invoicesOf(renewing)]);
      return (
        inv.length >= 2 && b.subscription?.currentPeriodEnd !== before.subscription?.currentPeriodEnd && inv
      );
    });
    const log = (await sandbox.settled()).slice(logBefore).filter((e) => e.orderKey === renewingSub);
    // Delivered (a 2xx last) after at least one 5xx.
    const retried = log.filter(
      (e) => e.status === "delivered" && e.attempts.some((a) => (a.status ?? 0) >= 500),
    );
    expect(retried.length, `the renewal's deliveries: ${JSON.stringify(log, null, 1)}`).toBeGreaterThan(0);
    console.log(
      `renewal: retried ${retried.map((e) => `${e.type} ${e.attempts.map((a) => a.status).join("→")}`)}`,
    );
    expect(log.every((e) => e.status === "delivered")).toBe(true);
    const settled = await billingOf(renewing);
    const active = { status: "active", planId: "standard", cancelAtPeriodEnd: false };
    expect(settled.subscription).toMatchObject(active);
    expect(Date.parse(settled.subscription?.currentPeriodEnd ?? "")).toBeGreaterThan(
      Date.parse(before.subscription?.currentPeriodEnd ?? "") + 27 * DAY * 1000,
    );
    const invoices = await invoicesOf(renewing);
    expect(invoices).toHaveLength(2);
    expect(invoices.every((i) => i.status === "paid" && i.amountCents === 999)).toBe(true);
    expect(renewed.map((i) => i.id).sort()).toEqual(invoices.map((i) => i.id).sort());

    // The same invoice.paid once more, freshly signed: one invoice still.
    const paid = log.find((e) => e.type === "invoice.paid");
    if (!paid) throw new Error(`no invoice.paid among ${log.map((e) => e.type)}`);
    const attempts = paid.attempts.length;
    await sandbox.control("POST", "webhooks/redeliver", { eventId: paid.eventId });
    const again = await eventually("the redelivery to be answered", 10_000, async () => {
      const e = (await sandbox.webhooks()).find((x) => x.eventId === paid.eventId);
      return e && e.attempts.length > attempts && e.status !== "pending" ? e : undefined;
    });
    expect(again.attempts.at(-1)?.status).toBe(200);
    expect(await invoicesOf(renewing)).toHaveLength(2);
    expect((await billingOf(renewing)).subscription?.status).toBe("active");
  });

  it("a failed renewal payment → past_due with the problem → an email in the dev mailbox → free once the grace period is over", async () => {
    expect(renewing, "the renewal test's subscriber").toBeDefined();
    expect((await access(renewing)).maxHeight).toBe(1080);
    await sandbox.control("POST", "fail-next-payment", { subscription: renewingSub });
    await sandbox.advance(31 * DAY);
    const due = await billingWhen(renewing, "past_due", (b) => b.subscription?.status === "past_due");
    const pastDueAt = Date.now();
    // Within the grace period the plan holds.
    expect(due.entitlements.plan).toBe("standard");
    expect(due.lastPaymentProblem).toBeTruthy();
    expect(due.subscription?.graceEndsAt).toBeTruthy();
    const graceEndsAt = Date.parse(due.subscription?.graceEndsAt ?? "");
    console.log(`past due: "${due.lastPaymentProblem}", grace ends ${due.subscription?.graceEndsAt}`);

    const mail = await eventually("the failed-payment email", 10_000, async () =>
      (await mailbox(base, renewingEmail)).find((m) => /payment/i.test(`${m.subject} ${m.text}`)),
    );
    expect(`${mail.subject}\n${mail.text}`).toMatch(/fail|declin|could not|couldn't/i);

    const free = { b: await planIs(renewing, "free", GRACE_SECONDS * 1000 + 10_000), at: Date.now() };
    // Not before the grace ran out (the edge and the test share a clock).
    expect(free.at).toBeGreaterThanOrEqual(graceEndsAt - 250);
    expect(graceEndsAt - pastDueAt).toBeLessThanOrEqual(GRACE_SECONDS * 1000);
    expect(free.b.subscription?.status).toBe("past_due");
    expect(await access(renewing)).toMatchObject(FREE_ACCESS);
  });

  it("a two-stream plan refuses a third stream with the active list; a stream ended by its player frees its slot at once, a silent one within the lapse while real heartbeats keep the other", async () => {
    const { email, device: owner } = await newViewer(base, "streams-viewer");
    await subscribe(browser, owner, { provider: "stripe", planId: "standard", interval: "month" });
    expect((await planIs(owner, "standard")).entitlements.streams).toBe(2);

    const devices = await Promise.all(USER_AGENTS.map((ua) => new Device(base, ua).login(email)));
    const [laptop, phone, desktop, tablet, tv] = devices as [Device, Device, Device, Device, Device];
    const play = (d: Device) => d.call<Playback & Problem>("GET", `/api/v1/videos/${publicId}/playback`);

    const first = await play(laptop);
    expect(first.status, first.text).toBe(200);
    const phoneAt = Date.now();
    const second = await play(phone);
    expect(second.status, second.text).toBe(200);
    const [s1, s2] = [first.body.streamId, second.body.streamId];
    expect(s1 && s2 && s1 !== s2).toBe(true);
    expect(first.body.heartbeatSeconds).toBeGreaterThan(0);

    const third = await play(desktop);
    expect(third.status, third.text).toBe(409);
    expect(third.body.code).toBe("too_many_streams");
    const active = third.body.activeStreams ?? [];
    expect(active.map((s) => s.streamId).sort()).toEqual([s1, s2].sort());
    expect(new Set(active.map((s) => s.device)).size, JSON.stringify(active)).toBe(2);
    console.log(`streams: refused the third; active ${active.map((s) => s.device).join(" | ")}`);

    // The laptop's player ends its stream: the desktop starts at once.
    await laptop.expect("DELETE", `/api/v1/playback/streams/${s1}`, 204);
    const started = await play(desktop);
    expect(started.status, started.text).toBe(200);
    const s3 = started.body.streamId as string;

    // The desktop heartbeats every 2 s; the phone goes silent (it was last heard at phoneAt).
    const beats = heartbeating(desktop, s3, 2000);
    try {
      expect((await play(tablet)).status).toBe(409);
      const refusals: number[] = [];
      const inAt = await eventually("a slot for the tablet", 120_000, async () => {
        const a = await play(tablet);
        if (a.status === 200) return { at: Date.now(), streamId: a.body.streamId as string };
        refusals.push(a.status);
      });
      expect(new Set(refusals)).toEqual(new Set([409]));
      const freedAfter = inAt.at - phoneAt;
      console.log(
        `streams: the silent phone's slot went to the tablet ${freedAfter} ms after its last request`,
      );
      expect(freedAfter).toBeGreaterThanOrEqual((LAPSE_SECONDS - 1) * 1000);
      expect(freedAfter).toBeLessThanOrEqual((LAPSE_SECONDS + 6) * 1000);
      expect((await phone.call("POST", `/api/v1/playback/streams/${s2}/heartbeat`)).status).toBe(404);
      expect(beats.statuses.length).toBeGreaterThan(2);
      expect(beats.statuses.every((s) => s === 204)).toBe(true);

      // The web player holds a slot of its own and gives it back when the viewer leaves the page.
      await tablet.expect("DELETE", `/api/v1/playback/streams/${inAt.streamId}`, 204);
      await playerHoldsAndFreesSlot(email, tv, [desktop, s3]);
      expect(beats.statuses.every((s) => s === 204)).toBe(true);
    } finally {
      await beats.stop();
    }
  });

  /** The watch page's player takes the free slot, heartbeats, and its DELETE on leaving frees it. */
  async function playerHoldsAndFreesSlot(email: string, tv: Device, [desktop, s3]: [Device, string]) {
    const other = await new Device(base, USER_AGENTS[1]).login(email);
    const page = await tabOf(tv, USER_AGENTS[4]);
    const calls = streamCalls(page);
    const issued = page.waitForResponse(
      (r) => /\/videos\/[^/]+\/playback/.test(r.url()) && r.status() === 200,
    );
    await page.goto(`${base}/watch/${publicId}`);
    const grant = (await (await issued).json()) as Playback;
    let alive = Date.now();
    expect(grant.streamId).toBeTruthy();
    await playsOn(page, 0.2);
    const heartbeatSeconds = grant.heartbeatSeconds ?? 30;
    if (heartbeatSeconds < LAPSE_SECONDS) {
      // Short enough to wait for: the player's own heartbeat arrives on time.
      const beat = await eventually("the player's heartbeat", (heartbeatSeconds + 5) * 1000, async () =>
        calls.find((c) => c.method === "POST" && c.url.includes(`${grant.streamId}/heartbeat`)),
      );
      console.log(`player: heartbeat ${beat.at - alive} ms after the grant (every ${heartbeatSeconds} s)`);
      alive = beat.at;
    }
    const mine = await desktop.expect<{ items: { streamId: string }[] }>("GET", "/api/v1/me/streams", 200);
    expect(mine.items.map((s) => s.streamId).sort()).toEqual([grant.streamId, s3].sort());
    expect((await other.call("GET", `/api/v1/videos/${publicId}/playback`)).status).toBe(409);

    // Leave the watch page inside the app (the router unmounts the player): its DELETE frees the
    // slot before the stream could have lapsed (LAPSE_SECONDS after it was last heard of).
    const leftAt = Date.now();
    await leaveInApp(page);
    await eventually("the player's DELETE of its stream", 5_000, async () =>
      calls.some((c) => c.method === "DELETE" && c.url.endsWith(`/playback/streams/${grant.streamId}`)),
    );
    const freedAt = await eventually("a slot after the player left", 5_000, async () => {
      const a = await other.call<Playback>("GET", `/api/v1/videos/${publicId}/playback`);
      return a.status === 200 && Date.now();
    });
    console.log(
      `player: left ${leftAt - alive} ms after its last sign of life, slot free ${freedAt - leftAt} ms later`,
    );
    expect(freedAt - alive).toBeLessThan(LAPSE_SECONDS * 1000);
    await page.context().close();
  }
});
