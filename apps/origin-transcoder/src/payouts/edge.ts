/**
 * What a payout run needs from the edge, as an interface (run.ts takes any `PayoutsEdge`), and its
 * implementation over the edge's `/internal/payouts/...` API with PAYOUTS_TOKEN (docs/payouts.md).
 * Every answer is zod-parsed with the shared schemas; network errors, 429 and 5xx are retried with
 * backoff, nothing else (as src/edge-client.ts does for jobs).
 */
import {
  type ChannelFacts,
  ChannelFactsPageSchema,
  PayoutAccountPageSchema,
  type PayoutAccountSchema,
  type PeriodFacts,
  PeriodFactsSchema,
  type StatementsBody,
  StatementsBodySchema,
} from "@marquee/shared";
import { z } from "zod";
import { EdgeError, sleep } from "../edge-client";

export type PayoutAccount = z.infer<typeof PayoutAccountSchema>;

export interface PeriodSnapshot {
  facts: PeriodFacts;
  channels: ChannelFacts[];
}

export interface PayoutsEdge {
  /** A closed period's facts, every channel page read; throws PeriodNotClosed (409). */
  periodSnapshot(period: string): Promise<PeriodSnapshot>;
  /** Every channel's Connect account as the edge knows it. */
  accounts(): Promise<PayoutAccount[]>;
  /** Sends statements, in as many bodies of ≤ 500 rows as needed; the run summary in the last one. */
  publish(statements: Statements): Promise<void>;
}

export interface Statements {
  earnings: StatementsBody["earnings"];
  payouts: StatementsBody["payouts"];
  run: StatementsBody["run"];
}

/** The edge answered 409: the period has not ended (plus the close delay) yet. CLI exit code 2. */
export class PeriodNotClosed extends Error {
  override name = "PeriodNotClosed";
  constructor(readonly period: string) {
    super(`period ${period} is not closed yet; it can be paid once it has ended (plus the close delay)`);
  }
}

/** The paged lists must add up to the period's totals, or the snapshot would freeze a wrong picture. */
export class InconsistentFacts extends Error {
  override name = "InconsistentFacts";
}

/** Rows per statements body (StatementsBodySchema's limit) and per page asked for. */
export const STATEMENTS_CHUNK = 500;
const PAGE_LIMIT = 500;

/** Splits statements into bodies of ≤ 500 earnings and ≤ 500 payouts; the run rides on the last. */
export function statementBodies(s: Statements): StatementsBody[] {
  const n = Math.max(1, Math.ceil(Math.max(s.earnings.length, s.payouts.length) / STATEMENTS_CHUNK));
  const bodies: StatementsBody[] = [];
  for (let i = 0; i < n; i++) {
    const slice = [i * STATEMENTS_CHUNK, (i + 1) * STATEMENTS_CHUNK] as const;
    bodies.push({
      earnings: s.earnings.slice(...slice),
      payouts: s.payouts.slice(...slice),
      run: i === n - 1 ? s.run : null,
    });
  }
  return bodies;
}

/** Checks the pages against the period's totals (Σ ad millicents, Σ premium watch, channel count). */
export function checkSnapshot(period: string, snap: PeriodSnapshot): PeriodSnapshot {
  const { facts, channels } = snap;
  const ads = channels.reduce((a, c) => a + c.adMillicents, 0);
  const watch = channels.reduce((a, c) => a + c.premiumWatchMs, 0);
  const ids = new Set(channels.map((c) => c.channelId));
  if (
    facts.period !== period ||
    ads !== facts.adMillicents ||
    watch !== facts.premiumWatchMs ||
    ids.size !== channels.length ||
    channels.length !== facts.channelCount
  ) {
    throw new InconsistentFacts(
      `facts of ${period} do not add up: ${channels.length} channels (expected ${facts.channelCount}), ` +
        `${ads} ad millicents (expected ${facts.adMillicents}), ${watch} premium ms (expected ${facts.premiumWatchMs})`,
    );
  }
  return snap;
}

export interface EdgePayoutsOptions {
  baseUrl: string;
  token: string;
  retries?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

const Ack = z.object({ earnings: z.number(), payouts: z.number(), run: z.boolean() }).partial().loose();

export class EdgePayouts implements PayoutsEdge {
  private readonly base: string;

  constructor(private readonly opts: EdgePayoutsOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, "");
  }

  async periodSnapshot(period: string): Promise<PeriodSnapshot> {
    const p = encodeURIComponent(period);
    const facts = await this.call(
      "GET",
      `/internal/payouts/periods/${p}`,
      PeriodFactsSchema,
      undefined,
      period,
    );
    const channels: ChannelFacts[] = [];
    for (let cursor: string | null = null; ; ) {
      const q: URLSearchParams = new URLSearchParams({
        limit: String(PAGE_LIMIT),
        ...(cursor ? { cursor } : {}),
      });
      const page: z.infer<typeof ChannelFactsPageSchema> = await this.call(
        "GET",
        `/internal/payouts/periods/${p}/channels?${q}`,
        ChannelFactsPageSchema,
        undefined,
        period,
      );
      channels.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return checkSnapshot(period, { facts, channels });
  }

  async accounts(): Promise<PayoutAccount[]> {
    const all: PayoutAccount[] = [];
    for (let cursor: string | null = null; ; ) {
      const q: URLSearchParams = new URLSearchParams({
        limit: String(PAGE_LIMIT),
        ...(cursor ? { cursor } : {}),
      });
      const page: z.infer<typeof PayoutAccountPageSchema> = await this.call(
        "GET",
        `/internal/payouts/accounts?${q}`,
        PayoutAccountPageSchema,
      );
      all.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return all;
  }

  async publish(statements: Statements): Promise<void> {
    for (const body of statementBodies(statements)) {
      await this.call("POST", "/internal/payouts/statements", Ack, StatementsBodySchema.parse(body));
    }
  }

  private async call<T extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    schema: T,
    body?: unknown,
    period?: string,
  ): Promise<z.infer<T>> {
    const retries = this.opts.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.opts.token}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        if (res.status === 409 && period !== undefined) throw new PeriodNotClosed(period);
        if (!res.ok) {
          const retryable = res.status === 429 || res.status >= 500;
          throw new EdgeError(
            `${method} ${path.split("?")[0]} answered ${res.status}: ${text.slice(0, 200)}`,
            res.status,
            retryable,
          );
        }
        return schema.parse(text ? JSON.parse(text) : null);
      } catch (err) {
        const retryable = err instanceof EdgeError ? err.retryable : !(err instanceof Error && isFinal(err));
        if (!retryable || attempt >= retries) throw err;
        const delay = Math.min(8_000, (this.opts.baseDelayMs ?? 250) * 2 ** attempt);
        await sleep(delay * (0.5 + Math.random() / 2));
      }
    }
  }
}

/** Errors a retry cannot fix: a 409, an answer that does not parse. Network errors are retried. */
function isFinal(err: Error): boolean {
  return err instanceof PeriodNotClosed || err instanceof z.ZodError || err instanceof SyntaxError;
}
