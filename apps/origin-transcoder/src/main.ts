// Entry point: `bun apps/origin-transcoder/src/main.ts`. Reads config, serves until SIGTERM/SIGINT.
import { ConfigError, loadConfig } from "./config";
import { createServer } from "./server";

function log(level: "info" | "error", msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    service: "origin-transcoder",
    msg,
    ...fields,
  });
  (level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const server = createServer(config);
log("info", "listening", {
  url: `http://${config.ORIGIN_HOST}:${server.port}`,
  port: server.port,
  env: config.APP_ENV,
  edgeUrl: config.EDGE_URL,
  concurrency: config.ORIGIN_CONCURRENCY,
  originToken: config.ORIGIN_TOKEN ? "set" : "missing",
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal });
  // Let in-flight requests finish, but never hang for more than 5 s.
  const forced = setTimeout(() => process.exit(0), 5000);
  await server.stop();
  clearTimeout(forced);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
