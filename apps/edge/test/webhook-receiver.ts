/**
 * A local webhook receiver and DNS-over-HTTPS resolver for the webhook tests (runs in Node, from
 * test/global-setup.ts; workerd reaches it over loopback, which WEBHOOK_ALLOWED_ORIGINS exempts).
 *
 *   POST /hooks/{name}       records the delivery; answers 200, except a name starting with
 *                            `flaky2-`, which answers 500 to its first two deliveries, and
 *                            `redirect-`, which answers 307 to /hooks/stolen
 *   GET  /dns-query?name=&type=A|AAAA   the JSON wire format of Cloudflare's and Google's DoH
 *                            (application/dns-json), from the fixed zone below
 *   GET  /__deliveries?name= recorded deliveries (JSON array)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The test zone: names the address checks resolve. */
export const TEST_ZONE: Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string }> = {
  "hooks.public.example": { A: ["93.184.215.14"], AAAA: ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] },
  "loopback.example": { A: ["127.0.0.1"] },
  "private.example": { A: ["10.1.2.3"] },
  "metadata.example": { A: ["169.254.169.254"] },
  "v6loop.example": { AAAA: ["::1"] },
  "mapped.example": { AAAA: ["::ffff:127.0.0.1"] },
  // One public and one private address: refused (a client may connect to either).
  "mixed.example": { A: ["93.184.215.14", "192.168.1.10"] },
  // A CNAME to a loopback name: the resolver follows it and answers with both records.
  "alias.example": { CNAME: "loopback.example" },
};

export interface RecordedDelivery {
  name: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  receivedAt: number;
}

export async function startWebhookReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const deliveries: RecordedDelivery[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET" && url.pathname === "/dns-query") return dns(url, res);
      if (req.method === "GET" && url.pathname === "/__deliveries") {
        const name = url.searchParams.get("name");
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify(deliveries.filter((d) => name === null || d.name === name)));
      }
      const hook = url.pathname.match(/^\/hooks\/([\w-]+)$/);
      if (req.method === "POST" && hook?.[1]) {
        const name = hook[1];
        const count = (seen.get(name) ?? 0) + 1;
        seen.set(name, count);
        const status =
          name.startsWith("flaky2-") && count <= 2 ? 500 : name.startsWith("redirect-") ? 307 : 200;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        deliveries.push({
          name,
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
          status,
          receivedAt: Date.now(),
        });
        if (status === 307) res.setHeader("location", "/hooks/stolen");
        res.statusCode = status;
        return res.end(status === 200 ? "ok" : "nope");
      }
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** RFC 8484's JSON sibling, as cloudflare-dns.com answers it: Status 0 NOERROR, 3 NXDOMAIN. */
function dns(url: URL, res: import("node:http").ServerResponse): void {
  const name = (url.searchParams.get("name") ?? "").replace(/\.$/, "").toLowerCase();
  const type = url.searchParams.get("type") ?? "A";
  const code = type === "AAAA" ? 28 : type === "A" ? 1 : 0;
  res.setHeader("content-type", "application/dns-json");
  if (code === 0) {
    res.statusCode = 400;
    return void res.end(JSON.stringify({ error: "unsupported type" }));
  }
  const answers: { name: string; type: number; TTL: number; data: string }[] = [];
  let current = name;
  for (let hops = 0; hops < 5; hops++) {
    const entry = TEST_ZONE[current];
    if (!entry) break;
    if (entry.CNAME) {
      answers.push({ name: current, type: 5, TTL: 300, data: `${entry.CNAME}.` });
      current = entry.CNAME;
      continue;
    }
    for (const data of entry[type as "A" | "AAAA"] ?? [])
      answers.push({ name: current, type: code, TTL: 300, data });
    break;
  }
  const known = TEST_ZONE[name] !== undefined;
  res.end(
    JSON.stringify({
      Status: known ? 0 : 3,
      TC: false,
      RD: true,
      RA: true,
      AD: false,
      CD: false,
      Question: [{ name, type: code }],
      ...(answers.length > 0 ? { Answer: answers } : {}),
    }),
  );
}
