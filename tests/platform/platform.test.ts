// What a newcomer does after `npm start`: the platform comes up, the API docs render in a browser
// from local files only, and Ctrl-C/SIGTERM leaves nothing running. Linux only (reads /proc).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUN_ID = randomUUID(); // every process the supervisor starts inherits it in its environment

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? done(addr.port) : fail(new Error("no port"))));
    });
  });
}

/** Processes (pid + command line) that carry this run's marker, or whose command line matches `pattern`. */
function survivors(pattern?: RegExp): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      if (!cmd) continue; // zombie or kernel thread
      const env = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (env.includes(`MARQUEE_TEST_RUN_ID=${RUN_ID}`) || pattern?.test(cmd)) found.push(`${pid} ${cmd}`);
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("local platform (bun run dev)", () => {
  let port: number;
  let originPort: number;
  let base: string;
  let stateDir: string;
  let dev: ChildProcess;
  let output = "";
  let browser: Browser | undefined;

  function startPlatform(): ChildProcess {
    output = "";
    const child = spawn("bun", ["scripts/dev.ts"], {
      cwd: ROOT,
      detached: true, // its own process group, like a terminal job
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        ORIGIN_PORT: String(originPort),
        MARQUEE_STATE_DIR: stateDir,
        MARQUEE_TEST_RUN_ID: RUN_ID,
        MARQUEE_DEMO: "0", // the media end-to-end test covers the demo seed
        NO_COLOR: "1",
      },
    });
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    return child;
  }

  async function ready(child: ChildProcess): Promise<void> {
    try {
      await until("the supervisor to print its URLs", 170_000, () => {
        if (child.exitCode !== null) throw new Error(`bun scripts/dev.ts exited with ${child.exitCode}`);
        return output.includes("Press Ctrl-C to stop everything.");
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- dev output ---\n${output.slice(-8000)}`);
    }
  }

  beforeAll(async () => {
    port = await freePort();
    originPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    stateDir = mkdtempSync(join(tmpdir(), "marquee-platform-"));
    dev = startPlatform();
    await ready(dev);
  });

  afterAll(async () => {
    await browser?.close();
    // Safety net if a test failed before the shutdown test: nothing of ours may outlive the run.
    if (dev?.pid && groupAlive(dev.pid)) process.kill(-dev.pid, "SIGKILL");
    for (const line of survivors()) process.kill(Number(line.split(" ")[0]), "SIGKILL");
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("answers GET /healthz with 200", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  });

  it("serves the web app with security headers on its static assets", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // An unknown path falls back to the single-page app, not a 404.
    const deep = await fetch(`${base}/watch/some-video`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toContain("text/html");
  });

  it("serves the OpenAPI document", async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/json/);
    const doc = (await res.json()) as { openapi?: unknown };
    expect(typeof doc.openapi).toBe("string");
  });

  it("renders the API docs in Chromium using local files only", async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh temporary profile (user-data-dir).
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    page.on("request", (req) => requested.push(req.url()));

    const res = await page.goto(`${base}/api/docs`);
    expect(res?.status()).toBe(200);
    await page.locator(".opblock").first().waitFor({ state: "visible", timeout: 60_000 });

    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "artifacts/api-docs.png"), fullPage: true });

    // data:/blob: URLs never leave the page; everything else must have gone to this machine.
    const network = requested.filter((url) => !/^(data|blob):/.test(url));
    expect(network.length).toBeGreaterThan(0);
    expect(network.filter((url) => new URL(url).hostname !== "127.0.0.1")).toEqual([]);
    expect(network).toContain(`${base}/api/openapi.json`);
  });

  const admin = {
    email: `admin-${RUN_ID.slice(0, 8)}@example.test`,
    password: "a long local admin password",
  };

  it("makes the first admin with `bun run admin:create`, who can then assign roles", async () => {
    const made = spawnSync(
      "bun",
      ["run", "admin:create", "--email", admin.email, "--password", admin.password],
      {
        cwd: ROOT,
        env: { ...process.env, MARQUEE_STATE_DIR: stateDir },
        encoding: "utf8",
      },
    );
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('"created":true');

    const post = (path: string, body: unknown, token?: string, method = "POST") =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const login = await post("/api/v1/auth/login", admin);
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const signup = await post("/api/v1/auth/signup", {
      email: `mod-${RUN_ID.slice(0, 8)}@example.test`,
      password: "a long moderator password",
      displayName: "Mod",
    });
    const { accountId } = (await signup.json()) as { accountId: string };
    const promoted = await post(
      `/api/v1/admin/users/${accountId}/role`,
      { roles: ["moderator"] },
      accessToken,
      "PUT",
    );
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ roles: ["viewer", "moderator"] });
  });

  it("stops everything on SIGTERM, leaving no workerd behind", async () => {
    const pid = dev.pid as number;
    const exited = new Promise<number | null>((r) => dev.once("exit", (code) => r(code)));
    process.kill(pid, "SIGTERM"); // the supervisor alone, as `kill <pid>` would
    await until("the supervisor to exit", 15_000, () => dev.exitCode !== null || dev.signalCode !== null);
    await exited;
    await until("its process group to disappear", 15_000, () => !groupAlive(pid));
    await until("no process of this run to remain", 15_000, () => survivors().length === 0);
    expect(survivors(new RegExp(`workerd.*127\\.0\\.0\\.1:${port}\\b`))).toEqual([]);
  });
  it("keeps accounts across a restart (state lives in the state dir)", async () => {
    dev = startPlatform();
    await ready(dev);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    const pid = dev.pid as number;
    process.kill(pid, "SIGTERM");
    await until("the restarted platform to stop", 20_000, () => !groupAlive(pid) && survivors().length === 0);
  });
});
