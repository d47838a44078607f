import { env } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  countedRefusals,
  EXTRA_OPERATIONS,
  type Intruder,
  MATRIX,
  type MatrixEntry,
  type MatrixRequest,
  PUBLIC_OPERATIONS,
  type World,
} from "./authorization/matrix";
import { untouchedChecks } from "./authorization/phases";
import { api, jwtClaims, openApiDocument, type SeededAccount, seedAccount } from "./harness";

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

/** An account shaped like the world's owner, for owner requests that end or erase what they act on. */
const seedOwner = () => seedAccount({ tag: "mxfresh", channel: true, profiles: [{ name: "Second" }] });

beforeAll(async () => {
  // Two batches: signups in flight from one client address count against its signup limit.
  const [owner, other, viewer] = await Promise.all([
    seedOwner(),
    seedAccount({ tag: "mxother", channel: true }),
    seedAccount({ tag: "mxviewer" }),
  ]);
  const [kids, admin, loggedOut] = await Promise.all([
    seedAccount({ tag: "mxkids", channel: true, profiles: [{ name: "Kid", maturity: "kids" }] }),
    seedAccount({ tag: "mxadmin", roles: ["admin"] }),
    seedAccount({ tag: "mxrevoked" }),
  ]);
  world = { owner, other, viewer, kids, admin };
  await api("/api/v1/auth/logout", { method: "POST", token: loggedOut.accessToken });
  tokens = {
    anonymous: undefined,
    expired: await expiredTokenFor(owner),
    tampered: tamperedTokenFor(other, owner),
    revoked: loggedOut.accessToken,
    otherAccount: other.accessToken,
    viewer: viewer.accessToken,
    kids: kids.profiles[1]?.token,
  };
});

const methodOf = (entry: MatrixEntry) => entry.operation.split(" ")[0] as string;

function send(entry: MatrixEntry, req: MatrixRequest, token: string | undefined): Promise<Response> {
  return api(req.path, {
    method: methodOf(entry),
    token,
    ...(req.headers ? { headers: req.headers } : {}),
    ...(req.json !== undefined ? { json: req.json } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
}

const statusesOf = (s: number | readonly number[]) => (typeof s === "number" ? [s] : [...s]);

describe("authorisation matrix: every route refuses every caller it must, and serves its owner", () => {
  it("covers every route, names only routes that exist, and proves something per route", async () => {
    const doc = await openApiDocument<{ paths: Record<string, Record<string, unknown>> }>();
    const all = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const mutating = all.filter((op) => /^(POST|PUT|PATCH|DELETE) /.test(op));
    const known = new Set([...all, ...Object.keys(EXTRA_OPERATIONS)]);
    const inMatrix = MATRIX.map((e) => e.operation);
    const covered = new Set([...inMatrix, ...Object.keys(PUBLIC_OPERATIONS)]);

    const problems: Record<string, string[]> = {
      "neither in the matrix nor public": mutating.filter((op) => !covered.has(op)),
      "routes outside openapi.json without an entry": Object.keys(EXTRA_OPERATIONS).filter(
        (op) => !inMatrix.includes(op),
      ),
      "entries naming a route that does not exist": [...covered].filter((op) => !known.has(op)),
      "operations with more than one entry": inMatrix.filter((op, i) => inMatrix.indexOf(op) !== i),
      "operations both in the matrix and public": inMatrix.filter((op) => op in PUBLIC_OPERATIONS),
      // An entry must prove something about its own route, beyond the shared middleware.
      "entries refusing no one beyond the shared middleware": MATRIX.filter(
        (e) => countedRefusals(e).length === 0 && !(e.signedInOnly && e.refuse.anonymous === 401),
      ).map((e) => e.operation),
      // An owner's answer is never a refusal, and any answer but success says why.
      "owner checks expecting a refusal, or an undocumented non-2xx": MATRIX.filter((e) => {
        const statuses = statusesOf(e.owner.status);
        if (statuses.some((s) => s === 401 || s === 403)) return true;
        return statuses.some((s) => s < 200 || s >= 300) && !e.owner.because;
      }).map((e) => e.operation),
    };
    expect(Object.fromEntries(Object.entries(problems).filter(([, ops]) => ops.length > 0))).toEqual({});
  });

  describe("refusals", () => {
    for (const entry of MATRIX) {
      for (const [intruder, status] of Object.entries(entry.refuse) as [Intruder, number][]) {
        it(`${entry.operation} refuses ${intruder} with ${status}`, async () => {
          // Requests name the owner's things; the kids caller targets its own account's things.
          const target = intruder === "kids" ? world.kids : world.owner;
          const req = await entry.request({ ...world, owner: target }, target);
          const res = await send(entry, req, tokens[intruder]);
          expect(res.status, await res.clone().text()).toBe(status);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
        });
      }
      for (const attempt of entry.attempts ?? []) {
        it(`${entry.operation} refuses ${attempt.name} with ${attempt.status}`, async () => {
          const res = await send(entry, await attempt.request(world), undefined);
          expect(res.status, await res.clone().text()).toBe(attempt.status);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
        });
      }
    }
  });

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

  for (const { name, check } of untouchedChecks) {
    it(`after the refusals: ${name}`, check);
  }

  describe("owners: each route serves the request it refused to others", () => {
    // Owner requests may destroy what later ones use: those marked `last` run at the very end.
    const ordered = [...MATRIX.filter((e) => !e.owner.last), ...MATRIX.filter((e) => e.owner.last)];
    for (const entry of ordered) {
      const { owner } = entry;
      it(`${entry.operation} serves its owner (${statusesOf(owner.status).join(" or ")})`, async () => {
        const target = owner.fresh ? await seedOwner() : world.owner;
        const w = { ...world, owner: target };
        const caller = owner.as ? owner.as(w) : { token: target.accessToken };
        const res = await send(entry, await entry.request(w, target), caller.token);
        const body = await res.text();
        expect(statusesOf(owner.status), `${res.status}: ${body.slice(0, 400)}`).toContain(res.status);
        if (res.status === 404 && !owner.routeAbsent) {
          expect(body, "the owner's 404 is the router's: the path is wrong").not.toContain(
            "No route matches",
          );
        }
        await owner.settle?.(res, body);
      });
    }
  });
});
