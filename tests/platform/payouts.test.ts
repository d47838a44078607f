// Creator payouts end to end on one real platform (edge in workerd, payments sandbox over HTTP) with
// `payouts:run` run as the origin's own child processes: onboarding through the API and the sandbox's
// hosted page, facts of past UTC days in the edge's D1, payout runs SIGKILLed at each step and run
// again, two runs racing for one period, an open period refused, and what creators and admins read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PayoutRun } from "../../packages/shared/src/payouts";
import type { ApiClient } from "../../scripts/lib/api-client";
import { devOriginEnv, originLedgerFile } from "../../scripts/lib/origin-env";
import { makeAdmin, poll } from "./ads-lib";
import { launchChromium } from "./billing-lib";
import {
  devVar,
  freePort,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  startPlatform,
  stopPlatform,
} from "./lib";
import { Api } from "./media-lib";
import {
  type Creator,
  control,
  d1File,
  dayBefore,
  earningsOf,
  expectedShares,
  ledger,
  type Party,
  payoutsOf,
  payoutsRun,
  type RunResult,
  type Share,
  said,
  seedDay,
  signUpCreator,
  signUpViewer,
  type Transfer,
  transfers,
} from "./payouts-lib";
import { TAG } from "./web-lib";

const PASSWORD = "a long payouts test password";
const MINIMUM_CENTS = 1000;
// The runs' lease on their period (origin config PAYOUTS_LEASE_TTL_MS; a live run renews it every
// sixth of that, cli.ts): short, so a killed run's period can be run again a few seconds later, yet
// long enough that a rerun started at once (under 1 s to reach the lease) still finds it held.
const LEASE_TTL_MS = 4000;

describe("creator payouts end to end (real edge, payments sandbox over HTTP, payouts:run as child processes)", () => {
  let platform: Platform;
  let base = "";
  let sandboxUrl = "";
  let dir = "";
  let stateDir = "";
  let ledgerFile = "";
  let browser: Browser;
  let originEnv: Record<string, string> = {};
  /** A and B onboard; C starts onboarding and leaves; D never starts. */
  const creators: Creator[] = [];
  const viewers: Party[] = [];
  const now = Date.now();
  // One past UTC day per scenario, so each pays fresh (a period, once paid, pays nothing again). Two
  // days back at the least: yesterday may still be within the edge's close delay just after midnight.
  const P = {
    claim: dayBefore(now, 2),
    send: dayBefore(now, 3),
    record: dayBefore(now, 4),
    race: dayBefore(now, 5),
  };
  let factsWritten: Promise<unknown> = Promise.resolve();
  let adminMade: Promise<ApiClient> = Promise.reject(new Error("no admin: setup failed"));
  adminMade.catch(() => undefined);
  const expected = new Map<string, Map<string, Share>>();
  const notes: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-payouts-e2e-"));
    stateDir = join(dir, "state");
    mkdirSync(stateDir);
    const port = await freePort();
    const originPort = await freePort();
    // No origin of the supervisor's: the runs below are the origin, started and killed by the test.
    platform = startPlatform({ port, originPort, stateDir, env: { MARQUEE_DEMO: "0", MARQUEE_ORIGIN: "0" } });
    base = platform.base;
    const chromium = launchChromium();
    chromium.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    await platformReady(platform);
    notes.push(`platform up after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    sandboxUrl = platform.sandboxUrl;
    ledgerFile = originLedgerFile(stateDir);
    originEnv = {
      ...devOriginEnv({
        host: "127.0.0.1",
        port: originPort,
        edgeUrl: base,
        originToken: devVar("ORIGIN_TOKEN"),
        payoutsToken: devVar("PAYOUTS_TOKEN"),
        stateDir,
        sandboxUrl,
      }),
      PAYOUTS_LEASE_TTL_MS: String(LEASE_TTL_MS),
    };
    creators.push(...(await Promise.all(["a", "b", "c", "d"].map((n) => signUpCreator(base, n, PASSWORD)))));
    for (const v of ["v1", "v2"]) viewers.push(await signUpViewer(base, v, PASSWORD));
    const days = [P.claim, P.send, P.record, P.race].map((period, i) =>
      seedDay(period, i + 1, creators, viewers),
    );
    // Noise in today's open period: it must never be paid.
    const today = seedDay(dayBefore(now, 0), 9, creators, viewers);
    // Written while the creators onboard (wrangler is slow to start); the first run waits for it.
    const seeding = Date.now();
    factsWritten = d1File(
      stateDir,
      dir,
      [...days, today].flatMap((d) => d.statements),
    ).then(() => notes.push(`facts written to D1 in ${((Date.now() - seeding) / 1000).toFixed(1)} s`));
    factsWritten.catch(() => undefined); // awaited by the first run; not an unhandled rejection meanwhile
    // The admin, the way an operator makes one (admin:create, ~25 s of wrangler), after the facts (one
    // wrangler writing the edge's D1 file at a time) and meanwhile the runs; only the last test needs it.
    adminMade = factsWritten.then(async () => {
      const making = Date.now();
      const made = await makeAdmin(base, stateDir, `payouts-admin-${TAG}@example.test`);
      notes.push(`admin:create took ${((Date.now() - making) / 1000).toFixed(1)} s`);
      return made;
    });
    adminMade.catch(() => undefined); // awaited by the last test
    for (const d of days) {
      expected.set(d.period, expectedShares(d));
    }
    browser = await chromium;
    notes.push(`set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 240_000);

  afterAll(async () => {
    await adminMade.catch(() => undefined);
    await browser?.close();
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    notes.push(`whole file ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(notes.join("\n"));
    writeFileSync(join(ROOT, "artifacts/payouts-e2e.txt"), `${notes.join("\n")}\n`);
    if (platform) writeFileSync(join(ROOT, "artifacts/payouts-dev.log"), platform.output());
    if (platform) await stopPlatform(platform).catch(() => undefined);
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const who = (i: number) => creators[i] as Creator;
  const [a, b, c, d] = [() => who(0), () => who(1), () => who(2), () => who(3)];
  const totalOf = (period: string, channelId: string) => {
    const s = expected.get(period)?.get(channelId);
    return (s?.adsCents ?? 0) + (s?.premiumCents ?? 0);
  };
  const destinations = new Map<string, string>(); // channelId → Stripe account
  const run = (period: string, extra: Record<string, string> = {}) => payoutsRun(originEnv, period, extra);
  /** The trial balance after a run: Σ of every journal line in the origin's ledger file. */
  const balanced = async (after: string) => {
    const l = await ledger(ledgerFile);
    expect(l.trialBalance, `trial balance after ${after}`).toBe(0);
    expect(l.lines, `journal lines after ${after}`).toBeGreaterThan(0);
  };
  /** The transfers the sandbox made since it held `before`. */
  const newSince = async (before: number) => (await transfers(sandboxUrl)).slice(before);
  /**
   * The judge, over every transfer the sandbox holds: exactly one to each eligible creator per paid
   * period, of exactly its share (the amounts differ from period to period), none to anyone else.
   */
  const judge = async (periods: string[], got?: Transfer[]) => {
    got ??= await transfers(sandboxUrl);
    const key = (destination: string | undefined, amount: number) => `${destination} ${amount}`;
    const want = periods.flatMap((period) =>
      [a(), b()].map((p) => key(destinations.get(p.channelId), totalOf(period, p.channelId))),
    );
    expect(
      got.map((t) => key(t.destination, t.amount)).sort(),
      `the sandbox's transfers for ${periods.join(", ")}`,
    ).toEqual(want.sort());
    for (const t of got) {
      expect(t.currency).toBe("usd");
      expect(t.transfer_group).toBe(`payout_${t.metadata.payoutId}`);
    }
    expect(new Set(got.map((t) => t.transfer_group)).size).toBe(got.length);
    return got;
  };
  const finished = (r: RunResult, period: string): PayoutRun => {
    expect(r.code, said(r)).toBe(0);
    const s = r.summary as PayoutRun;
    expect(s, said(r)).toMatchObject({ period, state: "finished", trialBalanceCents: 0, failedCount: 0 });
    const skipped = Object.fromEntries(s.skipped.map((x) => [x.channelId, x.reason]));
    expect(skipped, said(r)).toMatchObject({
      [c().channelId]: "payouts_disabled",
      [d().channelId]: "no_account",
    });
    expect(Object.keys(skipped), said(r)).not.toContain(a().channelId);
    return s;
  };

  it("setup check: both paying creators are above the $10.00 minimum in every seeded period", () => {
    for (const [period, shares] of expected)
      for (const p of [a(), b(), c(), d()]) {
        const s = shares.get(p.channelId);
        expect(s, `${period} ${p.name}`).toBeDefined();
        notes.push(`${period} ${p.name}: ads ${s?.adsCents} ¢ + premium ${s?.premiumCents} ¢`);
        if (p === a() || p === b())
          expect(totalOf(period, p.channelId)).toBeGreaterThanOrEqual(MINIMUM_CENTS);
      }
  });

  it("onboarding: A and B through the API and the sandbox's page (account.updated → enabled); C leaves the page; D never starts; a viewer without a channel is refused", async () => {
    const viewer = new Api(base);
    await viewer.login(`payouts-v1-${TAG}@example.test`, PASSWORD);
    const refused = await fetch(`${base}/api/v1/me/payouts/onboarding`, {
      method: "POST",
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(refused.status, await refused.clone().text()).toBe(409);
    expect(((await refused.json()) as { detail?: string }).detail).toMatch(/channel/i);

    for (const p of [a(), b(), c()]) {
      const link = await p.api.call<{
        url: string;
        expiresAt: number;
        stripeAccountId: string;
        payoutsEnabled: boolean;
      }>("POST", "/api/v1/me/payouts/onboarding", undefined, 200);
      expect(link.payoutsEnabled).toBe(false);
      expect(link.url.startsWith(`${sandboxUrl}/connect/onboard/`), link.url).toBe(true);
      expect(link.expiresAt).toBeGreaterThan(Date.now());
      destinations.set(p.channelId, link.stripeAccountId);
      // Asked again: the same Express account (created once per channel), a fresh link.
      const again = await p.api.call<{ url: string; stripeAccountId: string }>(
        "POST",
        "/api/v1/me/payouts/onboarding",
        undefined,
        200,
      );
      expect(again.stripeAccountId).toBe(link.stripeAccountId);
      const page = await (await browser.newContext()).newPage();
      await page.goto(again.url);
      if (p !== c()) {
        // The return address is asserted on the navigation itself: the earnings page takes
        // `?onboarding=done` off the address as soon as it mounts, so page.url() may no longer show it.
        const back = page.waitForRequest(
          (r) => r.isNavigationRequest() && r.url().startsWith(`${base}/studio/earnings`),
          { timeout: 30_000 },
        );
        await page.getByRole("button", { name: "Complete onboarding" }).click();
        expect(new URL((await back).url()).searchParams.get("onboarding")).toBe("done");
        await page.waitForURL((u) => u.toString().startsWith(`${base}/studio/earnings`), { timeout: 30_000 });
      } else {
        await page.getByRole("button", { name: "Complete onboarding" }).waitFor();
      }
      await page.context().close();
    }
    const t0 = Date.now();
    for (const p of [a(), b()])
      await poll(
        `${p.name}'s payouts to be enabled`,
        20_000,
        async () => (await earningsOf(p.api)).account.state === "enabled",
      );
    notes.push(`onboarding: account.updated → enabled within ${Date.now() - t0} ms`);
    expect((await earningsOf(c().api)).account.state).toBe("pending");
    expect((await earningsOf(d().api)).account.state).toBe("none");
  }, 90_000);

  it("a period not closed (today) is refused: the CLI exits 2 and pays nothing; the edge's facts API answers 409", async () => {
    const today = dayBefore(Date.now(), 0);
    const r = await run(today);
    expect(r.code, said(r)).toBe(2);
    expect(r.stderr).toContain(today);
    expect(await transfers(sandboxUrl)).toEqual([]);
    const facts = await fetch(`${base}/internal/payouts/periods/${today}`, {
      headers: { authorization: `Bearer ${originEnv.PAYOUTS_TOKEN}` },
    });
    expect(facts.status, await facts.text()).toBe(409);
    notes.push(`open period ${today}: exit 2 in ${r.ms} ms (${r.stderr.trim()})`);
  });

  /**
   * One crash point on a fresh period of its own: the run SIGKILLs itself there (the signal checked);
   * an immediate rerun exits 75, the dead run's lease still holding the period; once that lease lapses
   * a plain run pays. The trial balance is 0 after every run, and the sandbox's transfers made for the
   * period (by the dead run and the recovery) are one per eligible creator, of exactly its share.
   */
  const crashThenRecover = async (
    period: string,
    point: "after_claim" | "after_send" | "after_record",
    sentByDeadRun: number,
    beforeRecovery: () => Promise<unknown> = async () => undefined,
  ) => {
    const before = (await transfers(sandboxUrl)).length;
    const killed = await run(period, { PAYOUTS_CRASH_AT: point });
    expect(killed.signal, said(killed)).toBe("SIGKILL");
    expect(killed.code, said(killed)).toBeNull();
    const sent = await newSince(before);
    expect(sent, `transfers made by the run killed ${point}`).toHaveLength(sentByDeadRun);
    await balanced(`the run killed ${point}`);
    const { leaseUntil } = await ledger(ledgerFile);
    expect(leaseUntil, "the dead run's lease on its period").toBeGreaterThan(Date.now());
    const held = await run(period);
    expect(held.code, `${said(held)}\nthe dead run's lease lapses at ${leaseUntil}`).toBe(75);
    expect(held.stderr).toContain(`period ${period} is held by another run`);
    expect(await newSince(before), "transfers after the refused rerun").toHaveLength(sentByDeadRun);
    await balanced(`the rerun refused after ${point}`);
    const lapse = Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, leaseUntil - Date.now() + 100)));
    await beforeRecovery();
    const again = await run(period);
    expect(finished(again, period).paidCount, said(again)).toBe(2);
    await balanced(`the recovery of ${period} after ${point}`);
    const got = await judge([period], await newSince(before));
    expect(got.map((t) => t.id)).toEqual(expect.arrayContaining(sent.map((t) => t.id)));
    notes.push(
      `${point} (${period}): SIGKILL after ${killed.ms} ms; rerun exit 75 in ${held.ms} ms; ` +
        `waited ${Date.now() - lapse} ms for the lease; recovered in ${again.ms} ms`,
    );
  };

  it("SIGKILL after claiming, rerun at once (75: the dead run's lease), again once it lapses: one transfer per eligible creator of the exact amount; trial balance 0 after every run", async () => {
    await factsWritten;
    await crashThenRecover(P.claim, "after_claim", 0);
  });

  it("SIGKILL after a sent transfer whose answer the sandbox dropped (committed there), rerun at once (75), again once the lease lapses and Stripe's idempotency window is gone: the recovery finds the transfer by transfer_group, never pays twice; trial balance 0 after every run", async () => {
    await factsWritten;
    await control(sandboxUrl, "drop-next-response", { method: "POST", pathPrefix: "/v1/transfers" });
    // The dangerous case: the sandbox made the transfer, the origin never heard of it; after the
    // forget, only transfer_group can tell the recovery that it was made.
    await crashThenRecover(P.send, "after_send", 1, async () => {
      const forgot = await control(sandboxUrl, "idempotency/forget");
      expect(forgot.forgotten).toBeGreaterThan(0);
    });
  });

  it("SIGKILL after recording the first payout paid, rerun at once (75), again once the lease lapses: the other creator paid, nobody twice; trial balance 0 after every run", async () => {
    await factsWritten;
    await crashThenRecover(P.record, "after_record", 1);
  });

  it("two origins start the same run at once: one pays, the other exits 75 or finds it paid; one transfer each", async () => {
    const before = (await transfers(sandboxUrl)).length;
    const both = await Promise.all([run(P.race), run(P.race)]);
    const why = both.map(said).join("\n----\n");
    expect(both.map((r) => r.code).sort(), why).toEqual(expect.arrayContaining([0]));
    for (const r of both)
      if (r.code === 75) expect(r.stderr, why).toContain(`period ${P.race} is held by another run`);
      else expect(finished(r, P.race).paidCount, why).toBe(2);
    await judge([P.race], await newSince(before));
    await balanced("the racing runs");
    notes.push(
      `race: exits ${both.map((r) => r.code).join(" and ")} in ${both.map((r) => r.ms).join(", ")} ms`,
    );
  });

  it("every period judged together: exactly one transfer per eligible creator and period, of the exact amount, none to anyone else; a paid period run again pays nothing more", async () => {
    const got = await judge([P.claim, P.send, P.record, P.race]);
    const again = await run(P.send);
    expect(finished(again, P.send).paidCount).toBe(2);
    expect(await transfers(sandboxUrl)).toHaveLength(got.length);
    await balanced("a run of a paid period");
    notes.push(`transfers: ${got.map((t) => `${t.amount} ¢ → ${t.destination}`).join(", ")}`);
  });

  it("each creator reads their own earnings and payouts (paid), never another's; the admin reads the runs with trial balance 0", async () => {
    const periods = Object.values(P);
    const all = await transfers(sandboxUrl);
    for (const p of [a(), b()]) {
      const e = await poll(`${p.name}'s earnings`, 10_000, async () => {
        const got = await earningsOf(p.api);
        return periods.every((x) => got.items.some((i) => i.period === x && i.paidCents > 0)) && got;
      });
      for (const period of periods) {
        const s = expected.get(period)?.get(p.channelId) as Share;
        const total = s.adsCents + s.premiumCents;
        expect(
          e.items.find((i) => i.period === period),
          `${p.name} ${period}`,
        ).toMatchObject({
          period,
          adsCents: s.adsCents,
          premiumCents: s.premiumCents,
          totalCents: total,
          paidCents: total,
          pendingCents: 0,
        });
      }
      const sum = periods.reduce((acc, x) => acc + totalOf(x, p.channelId), 0);
      expect(e.totals).toMatchObject({ earnedCents: sum, paidCents: sum, pendingCents: 0 });
      const mine = (await payoutsOf(p.api)).items;
      expect(mine.map((x) => x.period).sort()).toEqual([...periods].sort());
      for (const x of mine) {
        expect(x.state).toBe("paid");
        expect(x.amountCents).toBe(totalOf(x.period, p.channelId));
        const t = all.find((tr) => tr.id === x.stripeTransferId);
        expect(t?.destination, `${p.name}'s payout ${x.id}`).toBe(destinations.get(p.channelId));
      }
    }
    // B sees none of A's payouts; C and D have earnings but nothing paid (skipped and reported).
    const aIds = new Set((await payoutsOf(a().api)).items.map((x) => x.id));
    expect((await payoutsOf(b().api)).items.filter((x) => aIds.has(x.id))).toEqual([]);
    for (const p of [c(), d()]) {
      expect((await payoutsOf(p.api)).items).toEqual([]);
      const e = await earningsOf(p.api);
      const sum = periods.reduce((acc, x) => acc + totalOf(x, p.channelId), 0);
      expect(e.totals).toMatchObject({ earnedCents: sum, paidCents: 0, pendingCents: sum });
    }
    // Runs: admins only.
    const admin = await adminMade;
    const denied = await fetch(`${base}/api/v1/admin/payouts/runs`, {
      headers: { authorization: `Bearer ${a().api.token}` },
    });
    expect(denied.status).toBe(403);
    const runs = await admin.call<{ items: PayoutRun[] }>(
      "GET",
      "/api/v1/admin/payouts/runs?limit=50",
      undefined,
      200,
    );
    for (const period of periods)
      expect(
        runs.items.some((r) => r.period === period && r.state === "finished"),
        period,
      ).toBe(true);
    for (const r of runs.items) expect(r.trialBalanceCents, JSON.stringify(r)).toBe(0);
    notes.push(`admin: ${runs.items.length} runs listed`);
  });
});
