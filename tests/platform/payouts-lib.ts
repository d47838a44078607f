// Helpers of the payouts end-to-end test: payout runs as child processes with the origin's env, facts
// written into the platform's local D1, the origin's ledger file and the sandbox's transfer list
// read back, and the expected shares computed here from the seeded facts by the documented rules
// (docs/payouts.md), independently of packages/shared's revenue-share code.
import { execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { SANDBOX_CREDENTIALS } from "../../apps/payments-sandbox/src/credentials";
import type { PayoutRun } from "../../packages/shared/src/payouts";
import type { ApiClient } from "../../scripts/lib/api-client";
import { NO_PROMPT, REPO_ROOT, toolEnv } from "../../scripts/lib/dev-vars";
import { RUN_ID } from "./lib";
import { Api } from "./media-lib";
import { TAG } from "./web-lib";

export const DAY_MS = 86_400_000;
/** The UTC day `n` days before the one containing `now`, as a period id (`2026-12-04`). */
export const dayBefore = (now: number, n: number) => new Date(now - n * DAY_MS).toISOString().slice(0, 10);

// ---- payout runs ----

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The PayoutRun the CLI prints as its last stdout line (null when it printed none). */
  summary: PayoutRun | null;
  ms: number;
}

/**
 * One `payouts:run --period <p> --json`. The CLI file itself, not `bun run payouts:run`: `bun run`
 * would stand between us and the process that kills itself, and report its SIGKILL as an exit code.
 */
export function payoutsRun(env: Record<string, string>, period: string, extra: Record<string, string> = {}) {
  const started = Date.now();
  const child = spawn("bun", ["apps/origin-transcoder/src/payouts/cli.ts", "--period", period, "--json"], {
    cwd: REPO_ROOT,
    env: toolEnv({ ...env, ...extra, MARQUEE_TEST_RUN_ID: RUN_ID }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  // A run that hangs is a failure of its own, not a test timeout with nothing to show.
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise<RunResult>((done) => {
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").pop() ?? "";
      let summary: PayoutRun | null = null;
      try {
        summary = last.startsWith("{") ? (JSON.parse(last) as PayoutRun) : null;
      } catch {
        summary = null;
      }
      done({ code, signal, stdout, stderr, summary, ms: Date.now() - started });
    });
  });
}

/** What a run said, for failure messages. */
export const said = (r: RunResult) =>
  `exit ${r.code} signal ${r.signal} in ${r.ms} ms\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-1500)}`;

// ---- the platform's local D1 ----

/**
 * Runs a SQL file against the running platform's local D1 with wrangler. Like admin:create it writes
 * the edge's D1 file from a second workerd, so it can meet the edge's write lock (SQLITE_BUSY): tried
 * again after a pause.
 */
export async function d1File(stateDir: string, dir: string, statements: string[]): Promise<void> {
  const file = join(dir, `d1-${Date.now()}.sql`);
  writeFileSync(file, `${statements.join(";\n")};\n`);
  const args = ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file];
  for (let attempt = 1; ; attempt++) {
    const failure = await promisify(execFile)("wrangler", args, {
      cwd: REPO_ROOT,
      env: toolEnv({ ...NO_PROMPT, MARQUEE_TEST_RUN_ID: RUN_ID }),
    }).then(
      () => null,
      (err: { stderr?: string; stdout?: string; message: string }) =>
        `${err.stderr ?? ""}${err.stdout ?? ""}` || err.message,
    );
    if (failure === null) return;
    if (attempt >= 5 || !/SQLITE_BUSY|database is locked/.test(failure))
      throw new Error(`wrangler d1 execute: ${failure.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

// ---- what the edge answers ----

export interface Earnings {
  account: { state: string };
  totals: { earnedCents: number; paidCents: number; pendingCents: number };
  items: {
    period: string;
    adsCents: number;
    premiumCents: number;
    totalCents: number;
    paidCents: number;
    pendingCents: number;
  }[];
}
export interface Payouts {
  items: {
    id: string;
    period: string;
    amountCents: number;
    state: string;
    stripeTransferId: string | null;
  }[];
}

export type Creator = Party & { api: ApiClient; name: string };

export const earningsOf = (api: ApiClient) =>
  api.call<Earnings>("GET", "/api/v1/me/earnings?limit=50", undefined, 200);
export const payoutsOf = (api: ApiClient) =>
  api.call<Payouts>("GET", "/api/v1/me/payouts?limit=50", undefined, 200);

// ---- who takes part ----

/** A creator `name`: an account, its channel, and a content video (what premium watch time joins on). */
export async function signUpCreator(base: string, name: string, password: string): Promise<Creator> {
  const api = new Api(base);
  const pair = await api.call<{ accessToken: string; accountId: string; profileId: string }>(
    "POST",
    "/api/v1/auth/signup",
    { email: `payouts-${name}-${TAG}@example.test`, password, displayName: `Creator ${name}` },
    201,
  );
  api.token = pair.accessToken;
  const handle = `pay_${name}_${TAG}`.slice(0, 30);
  const channel = await api.call<{ id: string }>(
    "POST",
    "/api/v1/me/channel",
    { handle, name: `Payouts ${name}` },
    201,
  );
  // No upload needed: the video's row is all the facts join on.
  const video = await api.call<{ video: { id: string } }>(
    "POST",
    "/api/v1/videos",
    { title: `Payouts ${name}`, upload: { size: 1000, contentType: "video/mp4" } },
    201,
  );
  const ids = { channelId: channel.id, accountId: pair.accountId, profileId: pair.profileId };
  return { api, name, ...ids, videoId: video.video.id };
}

/** A viewer `who` (an account without a channel): the premium plays and invoices are theirs. */
export async function signUpViewer(base: string, who: string, password: string): Promise<Party> {
  const pair = await new Api(base).call<{ accountId: string; profileId: string }>(
    "POST",
    "/api/v1/auth/signup",
    { email: `payouts-${who}-${TAG}@example.test`, password, displayName: who },
    201,
  );
  return { channelId: "", accountId: pair.accountId, profileId: pair.profileId, videoId: "" };
}

// ---- the seeded facts ----

export interface Party {
  channelId: string;
  accountId: string;
  profileId: string;
  videoId: string;
}

export interface SeededPeriod {
  period: string;
  /** Per channel: Σ price_millicents and premium watch ms that count. */
  channels: { channelId: string; adMillicents: number; premiumWatchMs: number }[];
  paidCents: number;
  refundedCents: number;
  statements: string[];
}

/**
 * A day's facts: ad impressions before each creator's video, premium plays by two viewers (and the
 * owner's own premium plays and non-premium plays, which must not count), two paid invoices and a
 * failed one, a succeeded refund and a pending one. `k` varies the amounts from day to day, so every
 * period pays its own figures. Creators above $10 with any k ≤ 9: see the test's expectations.
 */
export function seedDay(period: string, k: number, creators: Party[], viewers: Party[]): SeededPeriod {
  const start = Date.parse(`${period}T00:00:00Z`);
  const at = (hour: number) => start + hour * 3_600_000 + k * 1_000;
  const st: string[] = [];
  const ads: number[][] = [
    [411_523 + 7 * k, 411_529, 411_517 + k],
    [700_001 + 13 * k, 700_003],
    [99_999 + k],
    [250_011 * k + 3],
  ];
  const watch: number[] = [3_600_000 + 1_000 * k, 1_800_000 + 7 * k, 600_000, 333_333 * k];
  creators.forEach((c, i) => {
    (ads[i] ?? []).forEach((price, n) => {
      const t = at(1 + n);
      st.push(
        `INSERT INTO ad_impressions (session_id, campaign_id, advertiser_account_id, creative_video_id, video_id, channel_id, price_millicents, served_at, day, recorded_at) VALUES (${q(`e2e_${period}_${i}_${n}`)}, 'cmp_e2e', 'acc_e2e_adv', 'vid_e2e_creative', ${q(c.videoId)}, ${q(c.channelId)}, ${price}, ${t}, ${q(period)}, ${t})`,
      );
    });
    const play = (who: Party, tag: string, ms: number, premium: 0 | 1, hour: number) =>
      st.push(
        `INSERT INTO playback_events (profile_id, beacon_id, account_id, video_id, session_id, kind, position_ms, played_ms, occurred_at, received_at, premium) VALUES (${q(who.profileId)}, ${q(`b_${period}_${i}_${tag}`)}, ${q(who.accountId)}, ${q(c.videoId)}, ${q(`s_${period}_${i}_${tag}`)}, 'heartbeat', ${ms}, ${ms}, ${at(hour)}, ${at(hour)}, ${premium})`,
      );
    const w = watch[i] ?? 0;
    const viewer = viewers[i % viewers.length] as Party;
    // Two beacons that add up to the channel's premium watch time.
    play(viewer, "p1", w - Math.floor(w / 3), 1, 5);
    play(viewer, "p2", Math.floor(w / 3), 1, 6);
    // Not counted: a free viewer's play, and the owner's own premium play.
    play(viewers[(i + 1) % viewers.length] as Party, "free", 5_000_000, 0, 7);
    play(c, "own", 9_000_000, 1, 8);
  });
  const payer = viewers[0] as Party;
  const invoice = (n: number, cents: number, status: string) =>
    st.push(
      `INSERT INTO billing_invoices (id, account_id, provider, provider_invoice_id, amount_cents, currency, status, created_at, recorded_at) VALUES (${q(`inv_${period}_${n}`)}, ${q(payer.accountId)}, 'stripe', ${q(`in_e2e_${period}_${n}`)}, ${cents}, 'usd', ${q(status)}, ${at(9 + n)}, ${at(9 + n)})`,
    );
  invoice(1, 1999, "paid");
  invoice(2, 999 + k, "paid");
  invoice(3, 5000, "failed");
  const refund = (n: number, cents: number, status: string) =>
    st.push(
      `INSERT INTO billing_refunds (provider, provider_refund_id, amount_cents, currency, status, recorded_at) VALUES ('stripe', ${q(`re_e2e_${period}_${n}`)}, ${cents}, 'usd', ${q(status)}, ${at(12 + n)})`,
    );
  refund(1, 500 + k, "succeeded");
  refund(2, 700, "pending");
  return {
    period,
    channels: creators.map((c, i) => ({
      channelId: c.channelId,
      adMillicents: (ads[i] ?? []).reduce((a, b) => a + b, 0),
      premiumWatchMs: watch[i] ?? 0,
    })),
    paidCents: 1999 + 999 + k,
    refundedCents: 500 + k,
    statements: st,
  };
}

// ---- the documented rules, computed here ----

/** Largest remainder: floors, then one cent each to the largest remainders (ties: party order). */
export function apportion(total: number, weights: bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new Error("apportion: no weight");
  const t = BigInt(total);
  const floors = weights.map((w) => Number((t * w) / sum));
  const order = weights
    .map((w, i) => ({ i, rem: (t * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  let left = total - floors.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left-- <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
  }
  return floors;
}

export interface Share {
  adsCents: number;
  premiumCents: number;
}

/**
 * Each channel's share of a period: ads R = ⌊ΣM/1000⌋ cents apportioned by creator 55·M_c against the
 * platform's 45·ΣM; the premium net N = paid − refunded apportioned by 55·W_c against the platform's
 * 45·W. Parties in channel id order, the platform last.
 */
export function expectedShares(p: SeededPeriod, adPct = 55, poolPct = 55): Map<string, Share> {
  const chans = [...p.channels].sort((a, b) => (a.channelId < b.channelId ? -1 : 1));
  const sumM = chans.reduce((a, c) => a + c.adMillicents, 0);
  const sumW = chans.reduce((a, c) => a + c.premiumWatchMs, 0);
  const ads = apportion(Math.floor(sumM / 1000), [
    ...chans.map((c) => BigInt(adPct * c.adMillicents)),
    BigInt((100 - adPct) * sumM),
  ]);
  const net = Math.max(0, p.paidCents - p.refundedCents);
  const premium = apportion(net, [
    ...chans.map((c) => BigInt(poolPct * c.premiumWatchMs)),
    BigInt((100 - poolPct) * sumW),
  ]);
  return new Map(
    chans.map((c, i) => [c.channelId, { adsCents: ads[i] ?? 0, premiumCents: premium[i] ?? 0 }]),
  );
}

// ---- what the origin and the sandbox hold ----

/** Σ of every journal line in the origin's ledger (must be 0) and how many entries a period has. */
export async function ledger(file: string, period?: string) {
  const client = createClient({ url: `file:${file}` });
  try {
    const sum = await client.execute(
      "SELECT COALESCE(SUM(amount_cents), 0) AS s, COUNT(*) AS n FROM journal_lines",
    );
    const entries = period
      ? await client.execute({
          sql: "SELECT COUNT(*) AS n FROM journal_entries WHERE period = ?",
          args: [period],
        })
      : null;
    const lease = await client.execute("SELECT COALESCE(MAX(expires_at), 0) AS t FROM payout_leases");
    return {
      /** When the last lease held on any period lapses (epoch ms; 0: none held). */
      leaseUntil: Number(lease.rows[0]?.t),
      trialBalance: Number(sum.rows[0]?.s),
      lines: Number(sum.rows[0]?.n),
      periodEntries: Number(entries?.rows[0]?.n ?? 0),
    };
  } finally {
    client.close();
  }
}

export interface Transfer {
  id: string;
  amount: number;
  currency: string;
  destination: string;
  transfer_group: string | null;
  metadata: Record<string, string>;
}

/** Every transfer the sandbox holds (GET /v1/transfers, all pages), oldest first. */
export async function transfers(sandboxUrl: string): Promise<Transfer[]> {
  const all: Transfer[] = [];
  let after = "";
  for (;;) {
    const res = await fetch(`${sandboxUrl}/v1/transfers?limit=100${after && `&starting_after=${after}`}`, {
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.stripeSecretKey}` },
    });
    const page = (await res.json()) as { data: Transfer[]; has_more: boolean };
    if (res.status !== 200) throw new Error(`GET /v1/transfers: ${res.status} ${JSON.stringify(page)}`);
    all.push(...page.data);
    if (!page.has_more || page.data.length === 0) return all.reverse();
    after = page.data[page.data.length - 1]?.id ?? "";
  }
}

/** POST to the sandbox's /__control/<path>. */
export async function control(sandboxUrl: string, path: string, body: unknown = {}) {
  const res = await fetch(`${sandboxUrl}/__control/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sandbox /__control/${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, number>;
}
