/**
 * Test helpers for payout runs (imported by the *.test.ts beside it, under Node): a stand-in for the
 * edge's `/internal/payouts/...` API over real HTTP (like test/fake-edge.ts for jobs: it parses the
 * origin's requests with the shared schemas and checks the bearer token), Connect accounts in the
 * real payments sandbox, and period snapshots written straight into the ledger.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ChannelFacts,
  type PeriodFacts,
  parsePeriod,
  type StatementsBody,
  StatementsBodySchema,
} from "@marquee/shared";
import type Stripe from "stripe";
import { press } from "../../../payments-sandbox/src/client";
import { SANDBOX_CREDENTIALS } from "../../../payments-sandbox/src/credentials";
import type { Ledger } from "./db";
import type { PayoutAccount, PeriodSnapshot } from "./edge";
import { periodSnapshots } from "./schema";
import { stripeClient } from "./transfers";

export const TEST_ORIGIN_TOKEN = "payouts-test-token-0123456789abcdef0123456789";

export interface FakePayoutsEdge {
  url: string;
  /** Facts served per period; a period absent here answers 409 (not closed). */
  snapshots: Map<string, PeriodSnapshot>;
  accounts: PayoutAccount[];
  /** Every statements body received (parsed). */
  statements: StatementsBody[];
  /** Page size the fake uses whatever the client asks (small, to exercise paging). */
  pageSize: number;
  /** The next n statements posts answer 503. */
  failStatements: number;
  /** Answers the accounts list this much later (to hold a run inside its lease). */
  accountsDelayMs: number;
  /** Answers a period's facts this much later (to hold two runs between their checks and writes). */
  periodsDelayMs: number;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakePayoutsEdge(token = TEST_ORIGIN_TOKEN): Promise<FakePayoutsEdge> {
  const edge: Omit<FakePayoutsEdge, "url" | "close"> = {
    snapshots: new Map(),
    accounts: [],
    statements: [],
    pageSize: 2,
    failStatements: 0,
    accountsDelayMs: 0,
    periodsDelayMs: 0,
    requests: [],
  };
  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => send(res, 500, { error: String(err) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://edge");
    edge.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { code: "unauthorized" });
    const cursor = Number(url.searchParams.get("cursor") ?? "0");
    const page = <T>(items: T[]) => {
      const slice = items.slice(cursor, cursor + edge.pageSize);
      const next = cursor + edge.pageSize < items.length ? String(cursor + edge.pageSize) : null;
      return { items: slice, nextCursor: next };
    };
    let m = /^\/internal\/payouts\/periods\/([^/]+)(\/channels)?$/.exec(url.pathname);
    if (req.method === "GET" && m) {
      if (edge.periodsDelayMs > 0) await new Promise((r) => setTimeout(r, edge.periodsDelayMs));
      const snap = edge.snapshots.get(decodeURIComponent(m[1] ?? ""));
      if (!snap) return send(res, 409, { code: "conflict", detail: "the period is not closed" });
      return send(res, 200, m[2] ? page(snap.channels) : snap.facts);
    }
    if (req.method === "GET" && url.pathname === "/internal/payouts/accounts") {
      if (edge.accountsDelayMs > 0) await new Promise((r) => setTimeout(r, edge.accountsDelayMs));
      return send(res, 200, page([...edge.accounts].sort((a, b) => a.channelId.localeCompare(b.channelId))));
    }
    m = /^\/internal\/payouts\/statements$/.exec(url.pathname);
    if (req.method === "POST" && m) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (edge.failStatements > 0) {
        edge.failStatements -= 1;
        return send(res, 503, { code: "unavailable" });
      }
      const body = StatementsBodySchema.parse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      edge.statements.push(body);
      return send(res, 200, {
        earnings: body.earnings.length,
        payouts: body.payouts.length,
        run: body.run !== null,
      });
    }
    send(res, 404, { code: "not_found" });
  }
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(edge, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A consistent snapshot of a period (shares 55 % / 55 %). */
export function snapshotOf(
  periodId: string,
  channels: ChannelFacts[],
  premium: { paidCents?: number; refundedCents?: number } = {},
): PeriodSnapshot {
  const period = parsePeriod(periodId);
  if (!period) throw new Error(`bad period ${periodId}`);
  const facts: PeriodFacts = {
    period: periodId,
    start: period.start,
    end: period.end,
    currency: "usd",
    rules: { creatorAdSharePct: 55, premiumPoolPct: 55 },
    premiumPaidCents: premium.paidCents ?? 0,
    premiumRefundedCents: premium.refundedCents ?? 0,
    adMillicents: channels.reduce((a, c) => a + c.adMillicents, 0),
    premiumWatchMs: channels.reduce((a, c) => a + c.premiumWatchMs, 0),
    channelCount: channels.length,
  };
  return { facts, channels };
}

/** Ad facts worth exactly `creatorCents` to the channel at 55 % (`creatorCents` a multiple of 11). */
export function adsWorth(channelId: string, creatorCents: number): ChannelFacts {
  if (creatorCents % 11 !== 0) throw new Error("use a multiple of 11 cents (55 % of whole cents)");
  return { channelId, adMillicents: (creatorCents / 11) * 20 * 1000, premiumWatchMs: 0 };
}

/** Stores a period's facts as a run would have (the run then never asks the edge for them). */
export async function storeSnapshot(l: Ledger, snap: PeriodSnapshot): Promise<void> {
  await l.db
    .insert(periodSnapshots)
    .values({ period: snap.facts.period, factsJson: JSON.stringify(snap), fetchedAt: Date.now() });
}

export function sandboxStripe(sandboxUrl: string): Stripe {
  return stripeClient({ apiUrl: sandboxUrl, secretKey: SANDBOX_CREDENTIALS.stripeSecretKey });
}

/** An Express account in the sandbox, onboarded (payouts enabled) unless `onboarded` is false. */
export async function connectAccount(stripe: Stripe, onboarded = true): Promise<string> {
  const account = await stripe.accounts.create({ type: "express" });
  if (onboarded) await onboard(stripe, account.id);
  return account.id;
}

/** Clicks "Complete onboarding" on a fresh account link, as the creator would. */
export async function onboard(stripe: Stripe, accountId: string): Promise<void> {
  const link = await stripe.accountLinks.create({
    account: accountId,
    type: "account_onboarding",
    return_url: "http://127.0.0.1/done",
    refresh_url: "http://127.0.0.1/refresh",
  });
  const res = await press(link.url, "Complete onboarding");
  if (res.status !== 303) throw new Error(`onboarding answered ${res.status}`);
}

/** Every transfer in the sandbox (the judge), oldest first. */
export async function allTransfers(stripe: Stripe): Promise<Stripe.Transfer[]> {
  const out: Stripe.Transfer[] = [];
  for await (const t of stripe.transfers.list({ limit: 100 })) out.push(t);
  return out.reverse();
}
