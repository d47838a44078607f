/**
 * The payments sandbox: one node:http server speaking the parts of Stripe's and PayPal's REST APIs
 * Marquee calls, with hosted pages, signed webhooks and test controls. Dev and tests only; state is
 * in memory. node:http + node:crypto only, so it runs under Bun (`bun run dev`) and Node (vitest).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl } from "./control";
import { DEFAULT_STRIPE_API_VERSION } from "./credentials";
import { json, type Reply, type Req } from "./http";
import { handlePage } from "./pages";
import { handlePaypal, isPaypalPath } from "./paypal/api";
import { handlePaypalPage } from "./paypal/pages";
import { SandboxState } from "./store";
import { handleStripe } from "./stripe/api";
import { stripeError } from "./stripe/objects";

export interface PaymentsSandboxOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Base of the URLs the sandbox hands out (checkout, portal, approval); default `http://host:port`. */
  publicUrl?: string;
  stripeWebhook?: { url: string; secret: string };
  paypalWebhook?: { url: string; webhookId: string };
  /** Waits before each retry of a failed webhook delivery; default 1s, 2s, 5s, 10s, 30s, 60s. */
  retryDelaysMs?: number[];
}

export interface PaymentsSandbox {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

export async function startPaymentsSandbox(options: PaymentsSandboxOptions = {}): Promise<PaymentsSandbox> {
  const host = options.host ?? "127.0.0.1";
  let state: SandboxState | undefined;
  const server = createServer((req, res) => {
    if (!state) {
      res.writeHead(503).end();
      return;
    }
    void serve(state, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  state = new SandboxState(
    (options.publicUrl ?? url).replace(/\/+$/, ""),
    DEFAULT_STRIPE_API_VERSION,
    { stripe: options.stripeWebhook, paypal: options.paypalWebhook },
    options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  );
  const live = state;
  return {
    url,
    close: async () => {
      live.webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function serve(state: SandboxState, incoming: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const target = new URL(incoming.url ?? "/", "http://sandbox");
    const req: Req = {
      method: (incoming.method ?? "GET").toUpperCase(),
      path: target.pathname,
      query: target.searchParams,
      rawQuery: target.search.replace(/^\?/, ""),
      headers: incoming.headers,
      rawBody: Buffer.concat(chunks).toString("utf8"),
    };
    // Injected failures never hit the controls or the health check (the supervisor polls it).
    const control = req.path.startsWith("/__control/") || req.path === "/healthz";
    if (!control) {
      const failed = failInstead(state, req);
      if (failed) return write(res, failed);
    }
    const reply = await dispatch(state, req);
    if (!control && takeDrop(state, req)) {
      // The request committed; the client never hears so (a lost response, a timeout upstream).
      incoming.socket.destroy();
      return;
    }
    write(res, reply);
  } catch (err) {
    write(
      res,
      json(500, { error: "sandbox_error", message: err instanceof Error ? err.message : String(err) }),
    );
  }
}

async function dispatch(state: SandboxState, req: Req): Promise<Reply> {
  if (req.path === "/healthz") return json(200, { ok: true });
  if (req.path.startsWith("/__control/")) return handleControl(state, req);
  if (isPaypalPath(req.path)) return handlePaypal(state, req);
  if (req.path.startsWith("/v1/")) return handleStripe(state, req);
  return (
    handlePage(state, req) ??
    handlePaypalPage(state, req) ??
    json(404, { error: "not_found", path: req.path })
  );
}

/** `fail-next-requests`: answer 5xx without running the request. */
function failInstead(state: SandboxState, req: Req): Reply | undefined {
  const rule = state.failRequests;
  if (!rule || (rule.pathPrefix && !req.path.startsWith(rule.pathPrefix))) return undefined;
  rule.count -= 1;
  if (rule.count <= 0) state.failRequests = null;
  if (isPaypalPath(req.path)) {
    return json(rule.status, {
      name: "INTERNAL_SERVICE_ERROR",
      message: "An internal service error has occurred.",
      debug_id: "sandbox-injected",
      details: [],
    });
  }
  return stripeError(rule.status, "An unknown error occurred (injected by the payments sandbox).", {
    type: "api_error",
  });
}

function takeDrop(state: SandboxState, req: Req): boolean {
  const i = state.drops.findIndex(
    (d) => (!d.method || d.method === req.method) && (!d.pathPrefix || req.path.startsWith(d.pathPrefix)),
  );
  if (i < 0) return false;
  state.drops.splice(i, 1);
  return true;
}

function write(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? "";
  res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
