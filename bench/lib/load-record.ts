// What the load benchmark saw, per route: latencies, statuses, requests that never answered, and
// refusals without a Retry-After. Also the writes the platform acknowledged (the ledger), so the
// benchmark can check afterwards that every one of them was stored.
import { quantile } from "./edge";

/** A request that has not answered after this long counts as hung (the platform must refuse instead). */
export const HANG_MS = Number(process.env.BENCH_LOAD_HANG_MS ?? 20_000);

interface RouteTally {
  latencies: number[];
  statuses: Map<number, number>;
  hung: number;
  /** 429 and 503 answers without a Retry-After header. */
  refusedWithoutRetryAfter: number;
  /** Network errors (connection refused/reset): the platform dropped the request. */
  dropped: number;
  firstError: string;
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

export class Recorder {
  readonly routes = new Map<string, RouteTally>();
  requests = 0;

  private tally(route: string): RouteTally {
    let t = this.routes.get(route);
    if (!t) {
      t = {
        latencies: [],
        statuses: new Map(),
        hung: 0,
        refusedWithoutRetryAfter: 0,
        dropped: 0,
        firstError: "",
      };
      this.routes.set(route, t);
    }
    return t;
  }

  /** One timed request; null when it hung or the connection failed (both recorded). */
  async fetch(route: string, url: string, init: RequestInit = {}, binary = false): Promise<Answer | null> {
    const t = this.tally(route);
    const t0 = performance.now();
    this.requests++;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
      // The body is part of the answer: a segment is not served until its last byte arrived.
      const text = binary ? String((await res.arrayBuffer()).byteLength) : await res.text();
      t.latencies.push(performance.now() - t0);
      t.statuses.set(res.status, (t.statuses.get(res.status) ?? 0) + 1);
      if ((res.status === 429 || res.status === 503) && !res.headers.get("retry-after"))
        t.refusedWithoutRetryAfter++;
      if (res.status >= 500 && res.status !== 503) t.firstError ||= `${res.status} ${text.slice(0, 300)}`;
      return { status: res.status, text, headers: res.headers };
    } catch (err) {
      const e = err as Error;
      if (e.name === "TimeoutError") t.hung++;
      else {
        t.dropped++;
        t.firstError ||= `${e.name}: ${e.message}`;
      }
      return null;
    }
  }

  /** Per route: count, p50/p99 of answered requests, statuses; and the totals the verdict reads. */
  summary() {
    const rows: {
      route: string;
      n: number;
      p50: number;
      p99: number;
      statuses: string;
      hung: number;
      dropped: number;
    }[] = [];
    let serverErrors = 0;
    let refused = 0;
    let hung = 0;
    let dropped = 0;
    let noRetryAfter = 0;
    let answered = 0;
    const firstErrors: string[] = [];
    for (const [route, t] of [...this.routes].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const statuses = [...t.statuses].sort(([a], [b]) => a - b);
      for (const [status, n] of statuses) {
        if (status >= 500 && status !== 503) serverErrors += n;
        if (status === 429 || status === 503) refused += n;
      }
      answered += sorted.length;
      hung += t.hung;
      dropped += t.dropped;
      noRetryAfter += t.refusedWithoutRetryAfter;
      if (t.firstError) firstErrors.push(`${route}: ${t.firstError}`);
      rows.push({
        route,
        n: sorted.length + t.hung + t.dropped,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        statuses: statuses.map(([s, n]) => `${s}×${n}`).join(" "),
        hung: t.hung,
        dropped: t.dropped,
      });
    }
    return { rows, answered, serverErrors, refused, hung, dropped, noRetryAfter, firstErrors };
  }
}

/** Writes the platform acknowledged, to be found stored afterwards. */
export class Ledger {
  /** Each viewer's last acknowledged reaction to the hot video (its requests are never concurrent). */
  readonly reactions = new Map<string, "like" | "dislike" | null>();
  /** Viewers whose reaction is unknown: a request of theirs hung or was dropped. */
  readonly unknownReactions = new Set<string>();
  readonly beacons: { profileId: string; beaconId: string }[] = [];
  readonly comments: string[] = [];
  /** Videos whose upload-complete was accepted (202). */
  readonly uploads: string[] = [];

  expectedReactions() {
    let likes = 0;
    let dislikes = 0;
    for (const [profile, value] of this.reactions) {
      if (this.unknownReactions.has(profile)) continue;
      if (value === "like") likes++;
      if (value === "dislike") dislikes++;
    }
    return { likes, dislikes };
  }
}
