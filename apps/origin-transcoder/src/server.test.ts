// Runs under Node (vitest). The server uses Bun.serve, so it is started as a real `bun` child process,
// exactly as `bun run dev` and production start it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

function startOrigin(env: Record<string, string>): ChildProcess {
  return spawn("bun", [MAIN], {
    env: { ...process.env, APP_ENV: "test", ORIGIN_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves with the first JSON log line the child prints (the "listening" line with the real port). */
async function firstLogLine(child: ChildProcess): Promise<Record<string, unknown>> {
  let buf = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once("exit", (code) => reject(new Error(`origin exited with ${code} before listening: ${err}`)));
  });
}

describe("origin server (real bun process)", () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    child = startOrigin({ ORIGIN_PORT: "0", ORIGIN_HOST: "127.0.0.1" });
    const line = await firstLogLine(child);
    expect(line).toMatchObject({ level: "info", msg: "listening", service: "origin-transcoder" });
    base = `http://127.0.0.1:${line.port}`;
  });

  afterAll(async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0); // graceful shutdown on SIGTERM
  });

  it("answers GET /healthz with status ok and the ffmpeg version", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.status).toBe("ok");
    expect(body.service).toBe("origin-transcoder");
    // ffmpeg is installed by scripts/setup.sh; the field is null only where it is missing.
    expect(body.ffmpeg === null || /^ffmpeg version /.test(String(body.ffmpeg))).toBe(true);
  });

  it("answers unknown paths with a 404 problem+json", async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      status: 404,
      title: "Not Found",
      detail: "No route for GET /nope",
    });
  });
});

describe("origin config", () => {
  it("applies the documented defaults", () => {
    expect(loadConfig({})).toMatchObject({
      APP_ENV: "development",
      ORIGIN_HOST: "127.0.0.1",
      ORIGIN_PORT: 8790,
      EDGE_URL: "http://127.0.0.1:8787",
      ORIGIN_CONCURRENCY: 1,
      DATABASE_URL: "file:.data/origin.sqlite",
    });
    expect(loadConfig({}).ORIGIN_TOKEN).toBeUndefined();
  });

  it("rejects a bad ORIGIN_PORT with a clear message", () => {
    expect(() => loadConfig({ ORIGIN_PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ ORIGIN_PORT: "eighty" })).toThrow(
      'ORIGIN_PORT must be a port number (got "eighty")',
    );
    expect(() => loadConfig({ ORIGIN_PORT: "70000" })).toThrow(/ORIGIN_PORT must be between 0 and 65535/);
  });

  it("requires ORIGIN_TOKEN in production", () => {
    expect(() => loadConfig({ APP_ENV: "production" })).toThrow(
      /ORIGIN_TOKEN is required when APP_ENV=production/,
    );
    expect(loadConfig({ APP_ENV: "production", ORIGIN_TOKEN: "x".repeat(43) }).ORIGIN_TOKEN).toHaveLength(43);
  });

  it("makes the process exit 1 with the message when ORIGIN_PORT is bad", async () => {
    const child = startOrigin({ ORIGIN_PORT: "not-a-port" });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(stderr).toContain("Invalid origin configuration");
    expect(stderr).toContain('ORIGIN_PORT must be a port number (got "not-a-port")');
  });
});
