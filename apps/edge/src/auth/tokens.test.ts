import { env } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { api, jwtClaims, seedAccount } from "../../test/harness";

const signingKey = () => JSON.parse(env.JWT_PRIVATE_JWK) as JsonWebKey & { kid: string };

async function forge(
  claims: Record<string, unknown>,
  options: { kid?: string; key?: CryptoKey; exp?: number } = {},
) {
  const jwk = signingKey();
  const key = options.key ?? ((await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: options.kid ?? jwk.kid })
    .setIssuer("marquee")
    .setAudience("marquee-api")
    .setIssuedAt()
    .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(key);
}

describe("access tokens", () => {
  it("carry account, session and profile, signed ES256 with a kid", async () => {
    const user = await seedAccount({ tag: "claims" });
    const [header] = user.accessToken.split(".");
    expect(JSON.parse(atob(header ?? ""))).toMatchObject({ alg: "ES256", kid: signingKey().kid });
    expect(jwtClaims(user.accessToken)).toMatchObject({
      sub: user.accountId,
      pid: user.profileId,
      iss: "marquee",
      aud: "marquee-api",
    });
  });

  it("are refused when expired", async () => {
    const user = await seedAccount({ tag: "expired" });
    const claims = jwtClaims(user.accessToken);
    const expired = await forge(
      { sub: user.accountId, sid: claims.sid },
      { exp: Math.floor(Date.now() / 1000) - 5 },
    );
    const res = await api("/api/v1/me", { token: expired });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "invalid_token", detail: "The access token has expired" });
  });

  it("are refused when tampered with: a changed payload breaks the signature", async () => {
    const victim = await seedAccount({ tag: "victim" });
    const attacker = await seedAccount({ tag: "attacker" });
    const [h, , sig] = attacker.accessToken.split(".");
    const payload = { ...jwtClaims(attacker.accessToken), sub: victim.accountId };
    const body = btoa(JSON.stringify(payload)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    expect((await api("/api/v1/me", { token: `${h}.${body}.${sig}` })).status).toBe(401);
  });

  it("are refused when signed by another key, with an unknown kid, or with alg none", async () => {
    const user = await seedAccount({ tag: "forged" });
    const sid = jwtClaims(user.accessToken).sid;
    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const wrongKey = await forge({ sub: user.accountId, sid }, { key: other.privateKey });
    expect((await api("/api/v1/me", { token: wrongKey })).status).toBe(401);
    const unknownKid = await forge({ sub: user.accountId, sid }, { kid: "not-a-key", key: other.privateKey });
    expect((await api("/api/v1/me", { token: unknownKid })).status).toBe(401);
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${btoa(JSON.stringify({ sub: user.accountId, sid, iss: "marquee", aud: "marquee-api" })).replace(/=+$/, "")}.`;
    expect((await api("/api/v1/me", { token: none })).status).toBe(401);
  });

  it("bind to their own session: a token naming another account's session is refused", async () => {
    const a = await seedAccount({ tag: "sessa" });
    const b = await seedAccount({ tag: "sessb" });
    const crossed = await forge({ sub: a.accountId, sid: jwtClaims(b.accessToken).sid });
    expect((await api("/api/v1/me", { token: crossed })).status).toBe(401);
  });

  it("publishes the public key set, without the private part", async () => {
    const res = await api("/api/v1/auth/jwks");
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys[0]).toMatchObject({ kid: signingKey().kid, kty: "EC", crv: "P-256", alg: "ES256" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});
