// What a newcomer does after `npm start`: the platform comes up, the API docs render in a browser
// from local files only, and Ctrl-C/SIGTERM leaves nothing running. Linux only (reads /proc).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  freePort,
  groupAlive,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  RUN_ID,
  startPlatform,
  stopPlatform,
  survivors,
  until,
} from "./lib";

describe("local platform (bun run dev)", () => {
  let port: number;
  let originPort: number;
  let base: string;
  let stateDir: string;
  let dev: Platform;
  let browser: Browser | undefined;

  const launch = () =>
    startPlatform({
      port,
      originPort,
      stateDir,
      env: { MARQUEE_DEMO: "0" /* the media end-to-end test covers it */ },
    });

  beforeAll(async () => {
    port = await freePort();
    originPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    stateDir = mkdtempSync(join(tmpdir(), "marquee-platform-"));
    dev = launch();
    await platformReady(dev);
  });

  afterAll(async () => {
    await browser?.close();
    // Safety net if a test failed before the shutdown test: nothing of ours may outlive the run.
    if (dev?.alive()) process.kill(-(dev.child.pid as number), "SIGKILL");
    killSurvivors();
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

  it("serves an OpenAPI document that Redocly's recommended rules pass with no error", async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    const file = join(stateDir, "openapi.json");
    writeFileSync(file, await res.text());
    // The CLI people run (`npx @redocly/cli lint`), pinned in devDependencies; no config file, so
    // its built-in "recommended" ruleset. Telemetry and the update check off: no network here.
    const lint = spawnSync(join(ROOT, "node_modules/.bin/redocly"), ["lint", file, "--format=json"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      timeout: 120_000,
    });
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(lint.status).toBe(0);
    // Every operation has an id (the SDK's method names) and says its security, `[]` when public.
    const doc = JSON.parse(readFileSync(file, "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.filter((op) => !op.operationId || !Array.isArray(op.security))).toEqual([]);
  });

  it("renders the API docs in Chromium using local files only", async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh temporary profile (user-data-dir).
      args: CHROMIUM_ARGS,
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
    const pid = dev.child.pid as number;
    const exited = new Promise<number | null>((r) => dev.child.once("exit", (code) => r(code)));
    process.kill(pid, "SIGTERM"); // the supervisor alone, as `kill <pid>` would
    await until(
      "the supervisor to exit",
      15_000,
      () => dev.child.exitCode !== null || dev.child.signalCode !== null,
    );
    await exited;
    await until("its process group to disappear", 15_000, () => !groupAlive(pid));
    await until("no process of this run to remain", 15_000, () => survivors().length === 0);
    expect(survivors(new RegExp(`workerd.*127\\.0\\.0\\.1:${port}\\b`))).toEqual([]);
  });
  it("keeps accounts across a restart (state lives in the state dir)", async () => {
    dev = launch();
    await platformReady(dev);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    await stopPlatform(dev);
    await until("nothing of this run to remain", 20_000, () => survivors().length === 0);
  });
});
