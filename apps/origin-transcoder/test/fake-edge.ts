// A small stand-in for the edge, written for the origin's tests (Node http): the internal job API and
// signed storage PUT/GET per docs/media-pipeline.md, storing outputs under a temp dir and recording
// every call in order. It validates the origin's requests with the shared zod schemas (strict), checks
// the bearer token, the signature and the exact Content-Length of every PUT.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  type JobKind,
  type LeasedJob,
  LeaseRequest,
  OUTPUT_PATH,
  OutputsRequest,
  ReleaseRequest,
} from "@marquee/shared";
import type { z } from "zod";

export interface FakeJobSpec {
  id: string;
  videoId: string;
  /** Local file served as the source. */
  sourcePath: string;
  /** Default "content". An ad's lease gets the edge's creative limit (60 s) unless `limits` says otherwise. */
  kind?: JobKind;
  limits?: Partial<LeasedJob["limits"]>;
  /** Answer 409 to heartbeats once one says playable (simulates a cancel mid-transcode). */
  loseLeaseWhenPlayable?: boolean;
  /**
   * The lease pins source ETag "checked" (what upload-complete saw); the stored source has ETag
   * `storedEtag` (default "checked"; anything else: overwritten after the check). GET honours
   * If-Match like R2: another version answers 412.
   */
  storedEtag?: string;
}

export type FakeEvent =
  | { kind: "lease"; seq: number; at: number; jobId: string; leaseToken: string }
  | {
      kind: "heartbeat";
      seq: number;
      at: number;
      jobId: string;
      progress: number;
      playable: boolean;
      stage?: string;
      answered: number;
    }
  | { kind: "outputs"; seq: number; at: number; jobId: string; paths: string[] }
  | { kind: "put"; seq: number; at: number; videoId: string; path: string; size: number; text?: string }
  | {
      kind: "complete";
      seq: number;
      at: number;
      jobId: string;
      result: z.infer<typeof CompleteRequest>["result"];
    }
  | { kind: "fail"; seq: number; at: number; jobId: string; reason: string; retryable: boolean }
  | { kind: "release"; seq: number; at: number; jobId: string };

interface JobState {
  spec: FakeJobSpec;
  state: "queued" | "leased" | "done";
  leaseToken: string | null;
  leaseLost: boolean;
}

/** A MIME type without parameters (the edge signs it into the upload URL). */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/i;

const DEFAULT_LIMITS: LeasedJob["limits"] = {
  maxDurationSeconds: 4 * 3600,
  maxWidth: 3840,
  maxHeight: 2160,
  maxBytes: 20 * 1024 ** 3,
};

/** The edge's default ADS_MAX_CREATIVE_SECONDS. */
export const AD_LIMIT_SECONDS = 60;

export class FakeEdge {
  readonly events: FakeEvent[] = [];
  private readonly jobs: JobState[] = [];
  private readonly signatures = new Map<
    string,
    { method: "GET" | "PUT"; key: string; size?: number; contentType?: string }
  >();
  private server: Server | null = null;
  private seq = 0;
  base = "";
  private waiters: { pred: (e: FakeEvent) => boolean; resolve: (e: FakeEvent) => void }[] = [];

  constructor(
    readonly token: string,
    readonly storageDir: string,
    readonly leaseMs = 3000,
  ) {}

  enqueue(spec: FakeJobSpec): void {
    this.jobs.push({ spec, state: "queued", leaseToken: null, leaseLost: false });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.problem(res, 500, String(err));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Resolves with the first recorded event (past or future) matching `pred`. */
  waitFor(pred: (e: FakeEvent) => boolean, timeoutMs = 60_000): Promise<FakeEvent> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for an event")), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  storedPath(videoId: string, path: string): string {
    return join(this.storageDir, "videos", videoId, path);
  }

  private record(e: FakeEvent): void {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  private next() {
    return { seq: ++this.seq, at: Date.now() };
  }

  private json(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private problem(res: ServerResponse, status: number, detail: string): void {
    res
      .writeHead(status, { "content-type": "application/problem+json" })
      .end(JSON.stringify({ type: "about:blank", title: "Error", status, detail }));
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  }

  private sign(method: "GET" | "PUT", key: string, size?: number, contentType?: string): string {
    const sig = randomBytes(12).toString("hex");
    this.signatures.set(sig, { method, key, size, contentType });
    const qs = new URLSearchParams({ "X-Signature": sig });
    return `${this.base}/storage/${key.split("/").map(encodeURIComponent).join("/")}?${qs}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.base);
    if (url.pathname.startsWith("/storage/")) return this.storage(req, res, url);
    if (req.method !== "POST" || !url.pathname.startsWith("/internal/jobs/")) {
      return this.problem(res, 404, "no route");
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.problem(res, 401, "bad token");
    const body = await this.body(req);
    if (url.pathname === "/internal/jobs/lease") {
      LeaseRequest.parse(body);
      const job = this.jobs.find((j) => j.state === "queued");
      if (!job) return this.json(res, 204);
      job.state = "leased";
      job.leaseToken = randomBytes(16).toString("hex");
      const size = (await stat(job.spec.sourcePath)).size;
      const leased: LeasedJob = {
        id: job.spec.id,
        videoId: job.spec.videoId,
        leaseToken: job.leaseToken,
        leaseExpiresAt: Date.now() + this.leaseMs,
        attempt: 1,
        kind: job.spec.kind ?? "content",
        source: {
          url: this.sign("GET", `videos/${job.spec.videoId}/source`),
          size,
          contentType: "video/mp4",
          etag: "checked",
        },
        limits: {
          ...DEFAULT_LIMITS,
          ...(job.spec.kind === "ad" ? { maxDurationSeconds: AD_LIMIT_SECONDS } : {}),
          ...job.spec.limits,
        },
      };
      this.record({ kind: "lease", ...this.next(), jobId: job.spec.id, leaseToken: job.leaseToken });
      return this.json(res, 200, leased);
    }
    const m = url.pathname.match(/^\/internal\/jobs\/([^/]+)\/(heartbeat|outputs|complete|fail|release)$/);
    const job = m ? this.jobs.find((j) => j.spec.id === decodeURIComponent(m[1] as string)) : undefined;
    if (!m || !job) return this.problem(res, 404, "no such job");
    const token = (body as { leaseToken?: unknown }).leaseToken;
    if (job.state !== "leased" || token !== job.leaseToken || job.leaseLost) {
      return this.problem(res, 409, "lease lost");
    }
    const jobId = job.spec.id;
    switch (m[2]) {
      case "heartbeat": {
        const hb = HeartbeatRequest.parse(body);
        const lose = job.spec.loseLeaseWhenPlayable && hb.playable;
        this.record({ kind: "heartbeat", ...this.next(), jobId, ...hb, answered: lose ? 409 : 200 });
        if (lose) {
          job.leaseLost = true;
          return this.problem(res, 409, "job cancelled");
        }
        return this.json(res, 200, { leaseExpiresAt: Date.now() + this.leaseMs });
      }
      case "outputs": {
        const o = OutputsRequest.parse(body);
        // The edge's extra rules (apps/edge/src/jobs/schemas.ts): no dot segments, plain MIME types.
        for (const f of o.files) {
          if (f.path.split("/").some((x) => x === "." || x === "..") || !MIME.test(f.contentType)) {
            return this.problem(res, 400, `bad output ${f.path} (${f.contentType})`);
          }
        }
        this.record({ kind: "outputs", ...this.next(), jobId, paths: o.files.map((f) => f.path) });
        const urls = o.files.map((f) => ({
          path: f.path,
          method: "PUT" as const,
          url: this.sign("PUT", `videos/${job.spec.videoId}/${f.path}`, f.size, f.contentType.toLowerCase()),
          headers: { "content-type": f.contentType.toLowerCase() },
        }));
        return this.json(res, 200, { urls });
      }
      case "complete": {
        const c = CompleteRequest.parse(body);
        job.state = "done";
        this.record({ kind: "complete", ...this.next(), jobId, result: c.result });
        return this.json(res, 200, {});
      }
      case "fail": {
        const f = FailRequest.parse(body);
        job.state = "done";
        this.record({ kind: "fail", ...this.next(), jobId, reason: f.reason, retryable: f.retryable });
        return this.json(res, 200, {});
      }
      default: {
        ReleaseRequest.parse(body);
        job.state = "queued";
        job.leaseToken = null;
        this.record({ kind: "release", ...this.next(), jobId });
        return this.json(res, 200, {});
      }
    }
  }

  private async storage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const key = url.pathname.slice("/storage/".length).split("/").map(decodeURIComponent).join("/");
    const signed = this.signatures.get(url.searchParams.get("X-Signature") ?? "");
    const method = req.method === "HEAD" ? "GET" : req.method;
    if (!signed || signed.key !== key || signed.method !== method)
      return this.problem(res, 403, "bad signature");
    const [, videoId, ...rest] = key.split("/");
    if (method === "GET") {
      const job = this.jobs.find((j) => j.spec.videoId === videoId);
      if (!job || rest.join("/") !== "source") return this.problem(res, 404, "no object");
      const etag = `"${job.spec.storedEtag ?? "checked"}"`;
      const ifMatch = req.headers["if-match"];
      if (ifMatch !== undefined && ifMatch !== etag) return this.problem(res, 412, "precondition failed");
      const { size } = await stat(job.spec.sourcePath);
      // Single byte ranges, as the edge's storage route and R2 serve them: the origin reads the
      // source through this URL by Range (ffprobe, the ladder, thumbnail seeks) and refuses a 200.
      const m = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ""));
      const head = { "content-type": "video/mp4", "accept-ranges": "bytes", etag };
      if (!m || (m[1] === "" && m[2] === "")) {
        res.writeHead(200, { ...head, "content-length": String(size) });
        if (req.method === "HEAD") return void res.end();
        await pipeline(createReadStream(job.spec.sourcePath), res).catch(() => {});
        return;
      }
      const start = m[1] === "" ? Math.max(0, size - Number(m[2])) : Number(m[1]);
      const end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
      if (start >= size || end < start) {
        res.writeHead(416, { "content-range": `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, {
        ...head,
        "content-range": `bytes ${start}-${end}/${size}`,
        "content-length": String(end - start + 1),
      });
      if (req.method === "HEAD") return void res.end();
      await pipeline(createReadStream(job.spec.sourcePath, { start, end }), res).catch(() => {
        // ffmpeg hangs up mid-range when it seeks: not an error.
      });
      return;
    }
    const path = rest.join("/");
    if (!OUTPUT_PATH.test(path)) return this.problem(res, 400, "not an output path");
    const length = Number(req.headers["content-length"]);
    if (!Number.isInteger(length)) return this.problem(res, 411, "length required");
    if (signed.size === undefined) return this.problem(res, 400, "no signed length"); // like the local edge
    if (signed.size !== length) return this.problem(res, 400, "length differs");
    if (signed.contentType && req.headers["content-type"] !== signed.contentType) {
      return this.problem(res, 400, `content type ${req.headers["content-type"]} is not the signed one`);
    }
    const dest = this.storedPath(videoId as string, path);
    await mkdir(dirname(dest), { recursive: true });
    const chunks: Buffer[] = [];
    let received = 0;
    const keepText = path.endsWith(".m3u8") || path.endsWith(".vtt");
    req.on("data", (c: Buffer) => {
      received += c.length;
      if (keepText) chunks.push(c);
    });
    await pipeline(req, createWriteStream(dest));
    if (received !== length) return this.problem(res, 400, "body length differs from Content-Length");
    this.record({
      kind: "put",
      ...this.next(),
      videoId: videoId as string,
      path,
      size: received,
      text: keepText ? Buffer.concat(chunks).toString("utf8") : undefined,
    });
    this.json(res, 200, {});
  }
}
