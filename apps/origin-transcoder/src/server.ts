// The origin's HTTP server: health, including the worker's active jobs. The jobs themselves are
// pulled from the edge by the worker (worker.ts); nothing pushes work to this server.
import type { Config } from "./config";

export type OriginServer = ReturnType<typeof Bun.serve>;

let ffmpegVersion: Promise<string | null> | undefined;

/** First line of `ffmpeg -version` (e.g. "ffmpeg version 7.1.1-1 Copyright ..."), or null without ffmpeg. */
export function getFfmpegVersion(): Promise<string | null> {
  ffmpegVersion ??= (async () => {
    try {
      const proc = Bun.spawn(["ffmpeg", "-version"], { stdout: "pipe", stderr: "ignore", stdin: "ignore" });
      const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
      return code === 0 ? (out.split("\n")[0]?.trim() ?? null) : null;
    } catch {
      return null; // not installed: Bun.spawn throws when the executable can't be found
    }
  })();
  return ffmpegVersion;
}

function json(
  body: unknown,
  init: { status?: number; headers?: Record<string, string>; contentType?: string } = {},
): Response {
  const headers = { ...init.headers, "content-type": init.contentType ?? "application/json; charset=utf-8" };
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** RFC 9457 problem details, like the edge's errors. */
function problem(status: number, title: string, detail: string, headers?: Record<string, string>): Response {
  return json(
    { type: "about:blank", title, status, detail },
    { status, headers, contentType: "application/problem+json" },
  );
}

/** Extra fields for the health answer (the worker's state: accepting, active jobs). */
export type HealthDetails = () => Record<string, unknown>;

async function route(req: Request, details?: HealthDetails): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === "/healthz") {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return problem(405, "Method Not Allowed", `${req.method} is not allowed on /healthz`, {
        allow: "GET, HEAD",
      });
    }
    return json({
      status: "ok",
      service: "origin-transcoder",
      ffmpeg: await getFfmpegVersion(),
      ...details?.(),
    });
  }
  return problem(404, "Not Found", `No route for ${req.method} ${url.pathname}`);
}

export function createServer(config: Config, details?: HealthDetails): OriginServer {
  void getFfmpegVersion(); // warm the cache so the first health check is fast
  return Bun.serve({
    hostname: config.ORIGIN_HOST,
    port: config.ORIGIN_PORT,
    async fetch(req) {
      const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
      const res = await route(req, details);
      res.headers.set("x-request-id", requestId);
      return res;
    },
    error() {
      return problem(500, "Internal Server Error", "Unexpected error");
    },
  });
}
