// `bun run dev`: runs the whole platform locally and supervises it.
//
//   web     vite build --watch        rebuilds apps/web/dist, which the edge serves as static assets
//   edge    wrangler dev (workerd)    the worker + D1/R2/KV/Queues/DO, persisted under the state dir
//   origin  bun origin-transcoder     the transcoder, talking to the edge with ORIGIN_TOKEN; pays
//                                     creators through the sandbox, its ledger in <state>/origin/
//   payments bun payments-sandbox     local Stripe + PayPal stand-in (started first; the edge calls it)
//
// Environment: PORT (edge, default 8787), ORIGIN_PORT (default 8790), PAYMENTS_SANDBOX_PORT
// (default 8791; 0 = any free port, read back from the sandbox's first line), SANDBOX_RETRY_DELAYS_MS
// (the sandbox's webhook retry delays, csv of ms),
// MARQUEE_STATE_DIR (local persistence, default .wrangler/state), MARQUEE_DEMO=0 (skip the demo
// seed), MARQUEE_ORIGIN=0 (run no origin: tests that start and kill origins themselves), and
// MARQUEE_EDGE_VARS="NAME=value,NAME=value" (extra edge vars, e.g. a short JOB_LEASE_SECONDS).
//
// Every child runs in its own process group (detached). On Ctrl-C/SIGTERM, or when any child dies,
// the supervisor signals each whole group (SIGTERM, then SIGKILL after a grace period), so no
// wrangler/workerd/vite process outlives it. See docs/local-platform.md.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { SANDBOX_CREDENTIALS } from "../apps/payments-sandbox/src/credentials";
import { DEMO_CREATOR, seedDemo } from "./lib/demo";
import {
  DEV_DEFAULTS,
  defaultStateDir,
  MissingDevVarsError,
  NO_PROMPT,
  REPO_ROOT as ROOT,
  readDevVars,
  toolEnv,
} from "./lib/dev-vars";
import { devOriginEnv } from "./lib/origin-env";
import { groupAlive, portIsFree, signalGroup } from "./lib/processes";

const PORT = parsePort("PORT", DEV_DEFAULTS.port);
const ORIGIN_PORT = parsePort("ORIGIN_PORT", DEV_DEFAULTS.originPort);
// 0 is allowed here only: the sandbox then binds any free port and prints it (tests run many platforms).
const SANDBOX_PORT =
  process.env.PAYMENTS_SANDBOX_PORT === "0"
    ? 0
    : parsePort("PAYMENTS_SANDBOX_PORT", DEV_DEFAULTS.sandboxPort);
const STATE_DIR = defaultStateDir();
const HOST = DEV_DEFAULTS.host;
const EDGE_URL = `http://${HOST}:${PORT}`;
const ORIGIN_URL = `http://${HOST}:${ORIGIN_PORT}`;
const READY_TIMEOUT_MS = 180_000;
const KILL_GRACE_MS = 5_000;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const COLORS: Record<string, number> = {
  dev: 1,
  web: 35,
  edge: 33,
  origin: 36,
  migrate: 34,
  demo: 32,
  payments: 92,
};
function say(name: string, line: string): void {
  process.stdout.write(`${paint(COLORS[name] ?? 0, `[${name}]`.padEnd(11))}${line}\n`);
}

function parsePort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name} must be a port number between 1 and 65535, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return port;
}

/** The secrets in .dev.vars (the same file wrangler reads for the edge's secrets). */
function devSecrets(): Record<string, string> {
  try {
    return readDevVars();
  } catch (err) {
    if (!(err instanceof MissingDevVarsError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

function extraEdgeVars(): string[] {
  const raw = process.env.MARQUEE_EDGE_VARS ?? "";
  return raw
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .flatMap((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 1) {
        console.error(`MARQUEE_EDGE_VARS: expected NAME=value, got ${JSON.stringify(pair)}`);
        process.exit(2);
      }
      return ["--var", `${pair.slice(0, eq)}:${pair.slice(eq + 1)}`];
    });
}

const childEnv: NodeJS.ProcessEnv = toolEnv();

type Child = { name: string; proc: ChildProcess; done: Promise<number | null> };
const children: Child[] = [];
let stopping = false;

interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Sees every output line too (after it is printed). */
  onLine?: (line: string) => void;
}

/** Starts a command detached (own process group) with its output prefixed by `name`. */
function start(name: string, cmd: string[], opts: StartOptions = {}): Child {
  const [file, ...args] = cmd;
  if (!file) throw new Error("empty command");
  if (stopping) throw new Error(`not starting ${name}: shutting down`);
  const proc = spawn(file, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...childEnv, ...opts.env },
    detached: true, // setsid(): a new process group we can signal as a whole
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [proc.stdout, proc.stderr]) {
    if (stream)
      createInterface({ input: stream }).on("line", (line) => {
        say(name, line);
        opts.onLine?.(line);
      });
  }
  const done = new Promise<number | null>((res) => {
    proc.once("exit", (code, signal) => res(code ?? (signal ? 128 : null)));
    proc.once("error", (err) => {
      say(name, `failed to start: ${err.message}`);
      res(127);
    });
  });
  const child = { name, proc, done };
  children.push(child);
  return child;
}

/** Runs a one-off command to completion; exits the supervisor if it fails. */
async function runOnce(name: string, cmd: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = start(name, cmd, opts);
  const code = await child.done;
  children.splice(children.indexOf(child), 1);
  if (code !== 0 && !stopping) {
    say("dev", `${name} failed (exit ${code}): ${cmd.join(" ")}`);
    await shutdown(1);
  }
}

async function waitGroupsGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(groupAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await Bun.sleep(100);
    alive = alive.filter(groupAlive);
  }
  return alive;
}

async function shutdown(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const pids = children.map((c) => c.proc.pid).filter((pid): pid is number => pid !== undefined);
    say("dev", "stopping…");
    for (const pid of pids) signalGroup(pid, "SIGTERM");
    const stubborn = await waitGroupsGone(pids, KILL_GRACE_MS);
    for (const pid of stubborn) signalGroup(pid, "SIGKILL");
    const left = await waitGroupsGone(stubborn, 2_000);
    if (left.length > 0) say("dev", `process groups still present after SIGKILL: ${left.join(", ")}`);
    say("dev", "stopped");
    process.exit(exitCode);
  }
  return new Promise<never>(() => {}); // a shutdown is already under way: it will exit
}

// Being asked to stop is a normal end (exit 0), so `npm start` doesn't report an error after Ctrl-C.
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));

/**
 * The processes that started us (bun run, npm, sh, a terminal...). SIGTERM sent to `npm start` alone
 * kills npm and sh but not us, so when any of them disappears we stop too instead of running on orphaned.
 */
function ancestors(): number[] {
  const pids: number[] = [];
  let pid = process.ppid;
  while (pid > 1 && pids.length < 16) {
    pids.push(pid);
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      break; // no /proc (macOS): watch the direct parent only
    }
  }
  return pids;
}

function watchAncestors(): void {
  const watched = ancestors();
  setInterval(() => {
    const gone = watched.find((pid) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
      }
    });
    if (gone !== undefined && !stopping) {
      say("dev", `parent process ${gone} exited; stopping everything`);
      void shutdown(0);
    }
  }, 1000).unref();
}

/** Any long-running child that exits on its own takes the whole platform down. */
function supervise(child: Child): void {
  void child.done.then((code) => {
    if (stopping) return;
    say("dev", `${child.name} exited unexpectedly (code ${code}); stopping everything`);
    void shutdown(1);
  });
}

/**
 * Waits until `url` answers 200 and, given `service`, names that service in its JSON: a port taken
 * by something else (the origin's /healthz answers 200 too) must not pass for the edge being up.
 */
async function waitHealthy(url: string, deadline: number, service?: string): Promise<void> {
  while (!stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json().catch(() => null)) as { service?: unknown } | null;
      if (res.status === 200 && (service === undefined || body?.service === service)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      say("dev", `${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000}s`);
      await shutdown(1);
    }
    await Bun.sleep(300);
  }
}

async function main(): Promise<void> {
  watchAncestors();
  const devVars = devSecrets();
  for (const [name, port] of [
    ["PORT", PORT],
    ["ORIGIN_PORT", ORIGIN_PORT],
    ["PAYMENTS_SANDBOX_PORT", SANDBOX_PORT],
  ] as const) {
    if (port !== 0 && !(await portIsFree(port, HOST))) {
      console.error(
        `Port ${port} (${name}) is in use. Is another \`bun run dev\` running? Set ${name} to change it.`,
      );
      process.exit(1);
    }
  }
  say("dev", `state dir ${STATE_DIR}`);

  // 0. The payments sandbox, first: the edge is started with its URL. Its webhooks go to the edge,
  //    which isn't up yet; the sandbox retries deliveries, and nothing is paid before the edge is up.
  const sandboxUrl = await startSandbox();

  // 1. Local D1 schema. CI=true keeps wrangler from asking for confirmation.
  const migrations = join(ROOT, "apps/edge/migrations");
  if (existsSync(migrations) && readdirSync(migrations).some((f) => f.endsWith(".sql"))) {
    await runOnce(
      "migrate",
      ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE_DIR],
      { env: NO_PROMPT },
    );
  }

  // 2. Web assets: one build now (the edge needs dist/ at start), then rebuild on change.
  //    The watcher doesn't empty dist/, so the edge never sees it half-written.
  //    Always a production build: under vitest NODE_ENV is "test", which would give React's
  //    development build (3x the bytes, and not what people get).
  const webDir = join(ROOT, "apps/web");
  const web = { cwd: webDir, env: { NODE_ENV: "production" } };
  await runOnce("web", ["vite", "build", "--logLevel", "warn"], web);
  supervise(start("web", ["vite", "build", "--watch", "--no-emptyOutDir", "--logLevel", "warn"], web));

  // 3. The edge, in workerd. Secrets come from .dev.vars, which wrangler reads itself.
  supervise(
    start("edge", [
      "wrangler",
      "dev",
      "--local",
      "--ip",
      HOST,
      "--port",
      String(PORT),
      "--persist-to",
      STATE_DIR,
      "--show-interactive-dev-session=false",
      "--var",
      `PUBLIC_URL:${EDGE_URL}`,
      ...sandboxEdgeVars(sandboxUrl),
      ...extraEdgeVars(),
    ]),
  );

  // 4. The origin transcoder.
  if (process.env.MARQUEE_ORIGIN !== "0")
    supervise(
      start("origin", ["bun", "apps/origin-transcoder/src/main.ts"], {
        env: devOriginEnv({
          host: HOST,
          port: ORIGIN_PORT,
          edgeUrl: EDGE_URL,
          originToken: devVars.ORIGIN_TOKEN ?? "",
          payoutsToken: devVars.PAYOUTS_TOKEN ?? "",
          stateDir: STATE_DIR,
          sandboxUrl,
        }),
      }),
    );

  const deadline = Date.now() + READY_TIMEOUT_MS;
  await Promise.all([
    waitHealthy(`${EDGE_URL}/healthz`, deadline, "edge"),
    process.env.MARQUEE_ORIGIN === "0"
      ? Promise.resolve()
      : waitHealthy(`${ORIGIN_URL}/healthz`, deadline, "origin-transcoder"),
  ]);
  if (stopping) return;

  const rows: [string, string][] = [
    ["Web app", `${EDGE_URL}/`],
    ["API docs", `${EDGE_URL}/api/docs`],
    ["OpenAPI", `${EDGE_URL}/api/openapi.json`],
    ["Dev mailbox", `${EDGE_URL}/dev/mailbox`],
    ["Origin health", `${ORIGIN_URL}/healthz`],
    ["Payments sandbox", `${sandboxUrl}/`],
  ];
  const banner = [
    "",
    paint(1, "Marquee is running locally:"),
    ...rows.map(([label, url]) => `  ${label.padEnd(16)} ${paint(4, url)}`),
    `  ${"State".padEnd(16)} ${STATE_DIR}`,
    "",
    "Press Ctrl-C to stop everything.",
    "",
  ];
  for (const line of banner) say("dev", line);

  // First start: a demo creator and video through the real upload path (MARQUEE_DEMO=0 skips it).
  if (process.env.MARQUEE_DEMO !== "0") {
    try {
      const videoId = await seedDemo(EDGE_URL, STATE_DIR, (line) => say("demo", line));
      if (videoId) {
        say("demo", `demo video ${videoId} uploaded; it is being transcoded now`);
        say("demo", `demo creator: ${DEMO_CREATOR.email} / ${DEMO_CREATOR.password}`);
      }
    } catch (err) {
      say(
        "demo",
        `could not seed the demo video (the platform keeps running): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** The sandbox's first line names its URL (it chose the port itself when PAYMENTS_SANDBOX_PORT=0). */
const SANDBOX_READY = /payments sandbox listening on (http:\/\/\S+)/;

async function startSandbox(): Promise<string> {
  let announce: (url: string) => void = () => {};
  let fail: (err: Error) => void = () => {};
  const announced = new Promise<string>((res, rej) => {
    announce = res;
    fail = rej;
  });
  const timer = setTimeout(() => fail(new Error("the payments sandbox did not start within 30 s")), 30_000);
  const child = start("payments", ["bun", "apps/payments-sandbox/src/main.ts"], {
    env: {
      PAYMENTS_SANDBOX_PORT: String(SANDBOX_PORT),
      STRIPE_WEBHOOK_URL: `${EDGE_URL}/api/v1/webhooks/stripe`,
      STRIPE_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.stripeWebhookSecret,
      PAYPAL_WEBHOOK_URL: `${EDGE_URL}/api/v1/webhooks/paypal`,
      PAYPAL_WEBHOOK_ID: SANDBOX_CREDENTIALS.paypalWebhookId,
    },
    onLine: (line) => {
      const m = SANDBOX_READY.exec(line);
      if (m?.[1]) announce(m[1]);
    },
  });
  supervise(child);
  try {
    const url = await announced;
    await waitHealthy(`${url}/healthz`, Date.now() + 30_000);
    return url;
  } finally {
    clearTimeout(timer);
  }
}

/** What the edge needs to call the sandbox as its Stripe and PayPal (dev constants, never production). */
function sandboxEdgeVars(url: string): string[] {
  const vars = {
    STRIPE_API_URL: url,
    PAYPAL_API_URL: url,
    STRIPE_SECRET_KEY: SANDBOX_CREDENTIALS.stripeSecretKey,
    STRIPE_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.stripeWebhookSecret,
    PAYPAL_CLIENT_ID: SANDBOX_CREDENTIALS.paypalClientId,
    PAYPAL_CLIENT_SECRET: SANDBOX_CREDENTIALS.paypalClientSecret,
    PAYPAL_WEBHOOK_ID: SANDBOX_CREDENTIALS.paypalWebhookId,
  };
  return Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
}

void main().catch(async (err: unknown) => {
  say("dev", `error: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
