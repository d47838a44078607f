// EdgeClient under Node against a scripted local HTTP server: bearer token, zod-parsed answers, typed
// errors (LeaseLost on 409), retries of 5xx/network errors, and the source check (one Range request).
// (uploadFile needs Bun.file; the worker test covers it in a real bun process.)
import { mkdtemp, rm } from "node:fs/promises";
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

  it("checks the source with one Range request: size from Content-Range, a limit, no bearer token", async () => {
    const ranged =
      (size: number): Handler =>
      (req, _body, res) => {
        if (req.headers.range !== "bytes=0-0") return void res.writeHead(200).end("whole file");
        res.writeHead(206, { "content-range": `bytes 0-0/${size}`, "content-length": "1" }).end("x");
      };
    handlers = [ranged(123_456)];
    const checked = await client().checkSource("/storage/x?sig=1");
    expect(checked).toEqual({ url: `${base}/storage/x?sig=1`, size: 123_456 });
    expect(seen[0]?.auth).toBeUndefined(); // signed URLs carry their own authorisation

    handlers = [ranged(5000)];
    await expect(client().checkSource("/storage/x", { maxBytes: 1000 })).rejects.toBeInstanceOf(
      DownloadTooLarge,
    );
    // ffmpeg seeks the source by Range: a server answering 200 (the whole file) is refused at once.
    handlers = [(_req, _body, res) => res.writeHead(200, { "content-length": "3" }).end("abc")];
    await expect(client().checkSource("/storage/x")).rejects.toThrow(/must serve byte ranges/);
    // An empty object: 416 to bytes=0-0, size 0 (the worker fails the job as empty).
    handlers = [(_req, _body, res) => res.writeHead(416, { "content-range": "bytes */0" }).end()];
    expect((await client().checkSource("/storage/x")).size).toBe(0);
  });

  it("reads the source only over https, or http when the edge itself is http; no credentials", () => {
    const http = client();
    expect(http.sourceUrl("/storage/a?s=1")).toBe(`${base}/storage/a?s=1`);
    expect(http.sourceUrl("https://r2.example/b?X-Amz=1")).toBe("https://r2.example/b?X-Amz=1");
    for (const bad of [
      "file:///etc/passwd",
      "ftp://x/y",
      "data:video/mp4,AAAA",
      "https://u:p@r2.example/b",
    ]) {
      expect(() => http.sourceUrl(bad), bad).toThrow(EdgeError);
    }
    const tls = new EdgeClient({ baseUrl: "https://edge.example", token: "t".repeat(40) });
    expect(tls.sourceUrl("/storage/a")).toBe("https://edge.example/storage/a");
    expect(() => tls.sourceUrl("http://r2.example/b")).toThrow(/not https/);
  });

  it("checks only the pinned version: sends If-Match, and a changed source is final (no retries)", async () => {
    const ifMatch: (string | undefined)[] = [];
    const pinned =
      (etag: string): Handler =>
      (req, _body, res) => {
        ifMatch.push(req.headers["if-match"]);
        if (req.headers["if-match"] !== `"${etag}"`) return void res.writeHead(412).end();
        res.writeHead(206, { "content-range": "bytes 0-0/1024", etag: `"${etag}"` }).end("x");
      };
    handlers = [pinned("v1")];
    expect((await client().checkSource("/storage/x", { etag: "v1" })).size).toBe(1024);
    expect(ifMatch).toEqual(['"v1"']);

    // The stored source was overwritten after upload-complete: 412, not retried.
    handlers = [pinned("v2"), pinned("v2")];
    await expect(client().checkSource("/storage/x", { etag: "v1" })).rejects.toBeInstanceOf(SourceChanged);
    expect(handlers).toHaveLength(1);
    // A server that ignores If-Match still cannot slip another version past the ETag check.
    handlers = [
      (_req, _body, res) => res.writeHead(206, { etag: '"v2"', "content-range": "bytes 0-0/9" }).end("x"),
    ];
    await expect(client().checkSource("/storage/x", { etag: "v1" })).rejects.toBeInstanceOf(SourceChanged);
  });
});
