// EdgeClient under Node against a scripted local HTTP server: bearer token, zod-parsed answers, typed
// errors (LeaseLost on 409), retries of 5xx/network errors, and streaming downloads with a byte limit.
// (uploadFile needs Bun.file; the worker test covers it in a real bun process.)
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DownloadTooLarge, EdgeClient, EdgeError, LeaseLost, SourceChanged } from "./edge-client";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
let dir: string;
let handlers: Handler[] = [];
const seen: { method: string; url: string; auth?: string; body: string }[] = [];

const client = () =>
  new EdgeClient({
    baseUrl: base,
    token: "t".repeat(40),
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });

const reply = (status: number, body?: unknown): Handler => {
  return (_req, _body, res) => {
    if (body === undefined) res.writeHead(status).end();
    else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
};

const LEASED = {
  id: "j1",
  videoId: "v1",
  leaseToken: "lt",
  leaseExpiresAt: 1_900_000_000_000,
  attempt: 1,
  source: { url: "/storage/videos/v1/source?sig=1", size: 10, contentType: "video/mp4" },
  limits: { maxDurationSeconds: 60, maxWidth: 1920, maxHeight: 1080, maxBytes: 100 },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "origin-edge-client-"));
  server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, body });
    const h = handlers.shift();
    if (h) h(req, body, res);
    else res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  handlers = [];
  seen.length = 0;
});

describe("EdgeClient", () => {
  it("leases with the bearer token and parses the job; 204 is null", async () => {
    handlers = [reply(200, LEASED), reply(200, { ...LEASED, kind: "ad" }), reply(204)];
    // An edge older than ads sends no kind: the job is content.
    expect(await client().lease("w-1")).toEqual({ ...LEASED, kind: "content" });
    expect((await client().lease("w-1"))?.kind).toBe("ad");
    expect(await client().lease("w-1")).toBeNull();
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/internal/jobs/lease",
      auth: `Bearer ${"t".repeat(40)}`,
      body: JSON.stringify({ workerId: "w-1" }),
    });
  });

  it("throws LeaseLost on 409 without retrying", async () => {
    handlers = [reply(409, { type: "about:blank", title: "Conflict", status: 409, detail: "lease expired" })];
    const err = await client()
      .heartbeat("j1", "lt", { progress: 50, playable: true, stage: "transcoding" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLost);
    expect((err as LeaseLost).message).toContain("lease expired");
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      leaseToken: "lt",
      progress: 50,
      playable: true,
      stage: "transcoding",
    });
  });

  it("retries 5xx and answers with the parsed body once it succeeds", async () => {
    handlers = [reply(503), reply(502, { detail: "bad gateway" }), reply(200, { leaseExpiresAt: 123 })];
    expect(await client().heartbeat("j1", "lt", { progress: 1, playable: false })).toEqual({
      leaseExpiresAt: 123,
    });
    expect(seen).toHaveLength(3);
  });

  it("retries network errors (a dropped connection)", async () => {
    handlers = [(_req, _body, res) => res.socket?.destroy(), reply(200, {})];
    await client().complete("j1", "lt", {
      durationMs: 1000,
      width: 640,
      height: 360,
      renditions: [{ name: "360p", width: 640, height: 360, bandwidth: 1_000_000, codecs: "avc1.64001e" }],
      segmentCount: 1,
    });
    expect(seen).toHaveLength(2);
  });

  it("does not retry other 4xx, and rejects answers that don't match the schema", async () => {
    handlers = [reply(401, { title: "Unauthorized", status: 401 })];
    const unauthorized = await client()
      .release("j1", "lt")
      .catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(EdgeError);
    expect(unauthorized).toMatchObject({ status: 401, retryable: false });
    expect(seen).toHaveLength(1);
    handlers = [reply(200, { leaseExpiresAt: "soon" })];
    await expect(client().heartbeat("j1", "lt", { progress: 1, playable: false })).rejects.toThrow(
      /unexpected answer/,
    );
  });

  it("signs outputs in batches of 200, in the order asked", async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      path: `hls/720p/seg_${String(i + 1).padStart(5, "0")}.m4s`,
      contentType: "video/mp4",
      size: 1000 + i,
    }));
    const sign: Handler = (_req, body, res) => {
      const asked = (JSON.parse(body) as { files: { path: string }[] }).files;
      const urls = asked
        .reverse()
        .map((f) => ({ path: f.path, url: `/s/${f.path}`, method: "PUT", headers: {} }));
      reply(200, { urls })(_req, body, res);
    };
    handlers = [sign, sign];
    const signed = await client().outputs("j1", "lt", files);
    expect(signed.map((s) => s.path)).toEqual(files.map((f) => f.path));
    expect(seen.map((s) => (JSON.parse(s.body) as { files: unknown[] }).files.length)).toEqual([200, 50]);
    await expect(client().outputs("j1", "lt", [{ path: "../escape", contentType: "x" }])).rejects.toThrow();
  });

  it("streams a download to disk and stops past the byte limit", async () => {
    const payload = Buffer.alloc(256 * 1024, 7);
    const serve: Handler = (_req, _body, res) => {
      res.writeHead(200, { "content-length": String(payload.length) });
      res.end(payload);
    };
    handlers = [serve];
    const progress: number[] = [];
    const dest = join(dir, "source");
    const n = await client().download("/storage/x", dest, { onProgress: (b) => progress.push(b) });
    expect(n).toBe(payload.length);
    expect((await readFile(dest)).equals(payload)).toBe(true);
    expect(progress.at(-1)).toBe(payload.length);
    expect(seen[0]?.auth).toBeUndefined(); // signed URLs carry their own authorisation

    handlers = [serve];
    await expect(client().download("/storage/x", dest, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      DownloadTooLarge,
    );
    const chunked: Handler = (_req, _body, res) => {
      res.writeHead(200);
      res.end(payload); // no content-length: the limit is enforced while streaming
    };
    handlers = [chunked];
    await expect(client().download("/storage/x", dest, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      DownloadTooLarge,
    );
  });

  it("downloads only the pinned version: sends If-Match, and a changed source is final (no retries)", async () => {
    const payload = Buffer.alloc(1024, 3);
    const ifMatch: (string | undefined)[] = [];
    const pinned =
      (etag: string): Handler =>
      (req, _body, res) => {
        ifMatch.push(req.headers["if-match"]);
        if (req.headers["if-match"] !== `"${etag}"`) return void res.writeHead(412).end();
        res.writeHead(200, { "content-length": String(payload.length), etag: `"${etag}"` }).end(payload);
      };
    const dest = join(dir, "pinned");
    handlers = [pinned("v1")];
    expect(await client().download("/storage/x", dest, { etag: "v1" })).toBe(payload.length);
    expect(ifMatch).toEqual(['"v1"']);

    // The stored source was overwritten after upload-complete: 412, not retried.
    handlers = [pinned("v2"), pinned("v2")];
    await expect(client().download("/storage/x", dest, { etag: "v1" })).rejects.toBeInstanceOf(SourceChanged);
    expect(handlers).toHaveLength(1);
    // A server that ignores If-Match still cannot slip another version past the ETag check.
    handlers = [(_req, _body, res) => res.writeHead(200, { etag: '"v2"' }).end(payload)];
    await expect(client().download("/storage/x", dest, { etag: "v1" })).rejects.toBeInstanceOf(SourceChanged);
  });
});
