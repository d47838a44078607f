import { env, SELF } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Intruder,
  MATRIX,
  type MatrixEntry,
  PUBLIC_OPERATIONS,
  type World,
} from "./authorization/matrix";
import { api, jwtClaims, type SeededAccount, seedAccount } from "./harness";

let world: World;
let tokens: Record<Intruder, string | undefined>;

async function expiredTokenFor(user: SeededAccount): Promise<string> {
  const jwk = JSON.parse(env.JWT_PRIVATE_JWK) as JsonWebKey & { kid: string };
  const key = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
  const claims = jwtClaims(user.accessToken);
  return new SignJWT({ sid: claims.sid, pid: claims.pid })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
    .setSubject(user.accountId)
    .setIssuer("marquee")
    .setAudience("marquee-api")
    .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(key);
}

function tamperedTokenFor(user: SeededAccount, victim: SeededAccount): string {
  const [header, , signature] = user.accessToken.split(".");
  const payload = { ...jwtClaims(user.accessToken), sub: victim.accountId };
  const encoded = btoa(JSON.stringify(payload)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${header}.${encoded}.${signature}`;
}

beforeAll(async () => {
  const [owner, other, kids, admin, loggedOut] = await Promise.all([
    seedAccount({ tag: "mxowner", channel: true, profiles: [{ name: "Second" }] }),
    seedAccount({ tag: "mxother", channel: true }),
    seedAccount({ tag: "mxkids", channel: true, profiles: [{ name: "Kid", maturity: "kids" }] }),
    seedAccount({ tag: "mxadmin", roles: ["admin"] }),
    seedAccount({ tag: "mxrevoked" }),
  ]);
  world = { owner, other, kids, admin };
  await api("/api/v1/auth/logout", { method: "POST", token: loggedOut.accessToken });
  tokens = {
    anonymous: undefined,
    expired: await expiredTokenFor(owner),
    tampered: tamperedTokenFor(other, owner),
    revoked: loggedOut.accessToken,
    otherAccount: other.accessToken,
    viewer: other.accessToken,
    kids: kids.profiles[1]?.token,
  };
});

const methodOf = (entry: MatrixEntry) => entry.operation.split(" ")[0] as string;

describe("authorisation matrix: every mutating route refuses every caller it must", () => {
  it("covers every mutating operation in openapi.json", async () => {
    const doc = (await (await SELF.fetch("http://marquee.test/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const mutating = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["post", "put", "patch", "delete"].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set([...MATRIX.map((e) => e.operation), ...Object.keys(PUBLIC_OPERATIONS)]);
    expect(mutating.filter((op) => !covered.has(op))).toEqual([]);
  });

  for (const entry of MATRIX) {
    for (const [intruder, status] of Object.entries(entry.refuse) as [Intruder, number][]) {
      it(`${entry.operation} refuses ${intruder} with ${status}`, async () => {
        // Requests name the owner's things; the kids caller targets its own account's things.
        const target = intruder === "kids" ? world.kids : world.owner;
        const { path, json } = entry.request({ ...world, owner: target }, target);
        const res = await api(path, {
          method: methodOf(entry),
          token: tokens[intruder],
          ...(json !== undefined ? { json } : {}),
        });
        expect(res.status).toBe(status);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      });
    }
  }

  it("left the owner's things untouched after every refused attempt", async () => {
    const me = (await (await api("/api/v1/me", { token: world.owner.accessToken })).json()) as {
      displayName: string;
      roles: string[];
    };
    expect(me.displayName).toBe("Seeded Person");
    expect(me.roles).toEqual(["viewer", "creator"]);
    const profiles = (await (
      await api("/api/v1/me/profiles", { token: world.owner.accessToken })
    ).json()) as { items: { name: string }[] };
    expect(profiles.items.map((p) => p.name)).toEqual(["Seeded Person", "Second"]);
    const channel = (await (await api(`/api/v1/channels/${world.owner.channelId}`)).json()) as {
      name: string;
    };
    expect(channel.name).toBe("Seeded Channel");
  });
});
