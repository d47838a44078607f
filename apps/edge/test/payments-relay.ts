/**
 * Where the payments sandbox sends its webhooks during the edge tests (runs in Node, vitest
 * globalSetup). The edge under test lives inside workerd and has no address the sandbox could call,
 * so the relay keeps each delivery as the sandbox signed it, and a test hands the ones it wants to
 * the edge (SELF), in the order it wants — real events, real signatures.
 *
 *   POST /stripe, /paypal         a delivery (always answered 200)
 *   GET  /deliveries?provider=    the kept deliveries, oldest first (JSON array)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RelayedDelivery {
  provider: "stripe" | "paypal";
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

export async function startPaymentsRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const kept: RelayedDelivery[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://relay");
      if (req.method === "POST" && (url.pathname === "/stripe" || url.pathname === "/paypal")) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        kept.push({
          provider: url.pathname === "/stripe" ? "stripe" : "paypal",
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
          receivedAt: Date.now(),
        });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return;
      }
      if (req.method === "GET" && url.pathname === "/deliveries") {
        const provider = url.searchParams.get("provider");
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(kept.filter((d) => !provider || d.provider === provider)));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
