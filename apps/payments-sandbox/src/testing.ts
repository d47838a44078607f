/**
 * Test helpers: a webhook receiver over real HTTP and polling; the control calls and form posts to
 * the hosted pages are client.ts (shared with the edge's tests), re-exported here.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export { control, formAction, press, submit } from "./client";

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary event JSON
  event: any;
  answered: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** The next `count` deliveries are answered with `status` (a receiver that fails). */
  failNext(count: number, status?: number): void;
  accepted(): Delivery[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  let failing = 0;
  let failStatus = 500;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answered = failing > 0 ? failStatus : 200;
      if (failing > 0) failing -= 1;
      deliveries.push({ headers: req.headers, body, event: JSON.parse(body), answered });
      res.writeHead(answered, { "content-type": "text/plain" }).end(answered === 200 ? "ok" : "nope");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    failNext(count, status = 500) {
      failing = count;
      failStatus = status;
    },
    accepted: () => deliveries.filter((d) => d.answered === 200),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export async function until<T>(what: string, fn: () => T | undefined | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
