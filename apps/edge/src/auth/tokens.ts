import { type CryptoKey, importJWK, type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Config } from "../config";
import { AppError } from "../lib/errors";

const ISSUER = "marquee";
const AUDIENCE = "marquee-api";
const ALG = "ES256";

/** What an access token asserts. Roles are deliberately absent: they are read fresh per request. */
export interface AccessClaims {
  accountId: string;
  sessionId: string;
  profileId: string | null;
}

interface KeySet {
  kid: string;
  signing: CryptoKey;
  verifying: Map<string, CryptoKey>;
}

const keyCache = new WeakMap<Config, Promise<KeySet>>();

function keysFor(config: Config): Promise<KeySet> {
  let keys = keyCache.get(config);
  if (!keys) {
    keys = loadKeys(config);
    keyCache.set(config, keys);
  }
  return keys;
}

async function loadKeys(config: Config): Promise<KeySet> {
  const { privateJwk, previousPublicJwks } = config.jwt;
  const signing = (await importJWK({ ...privateJwk, alg: ALG }, ALG)) as CryptoKey;
  const verifying = new Map<string, CryptoKey>();
  verifying.set(privateJwk.kid, (await importJWK(publicPart(privateJwk), ALG)) as CryptoKey);
  for (const jwk of previousPublicJwks) {
    verifying.set(jwk.kid, (await importJWK(publicPart(jwk), ALG)) as CryptoKey);
  }
  return { kid: privateJwk.kid, signing, verifying };
}

export function publicPart(jwk: JsonWebKey & { kid: string }) {
  const { kty = "EC", crv = "P-256", x = "", y = "", kid } = jwk;
  return { kty, crv, x, y, kid, alg: ALG, use: "sig" };
}

export async function signAccessToken(config: Config, claims: AccessClaims): Promise<string> {
  const keys = await keysFor(config);
  return new SignJWT({ sid: claims.sessionId, ...(claims.profileId ? { pid: claims.profileId } : {}) })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: "JWT" })
    .setSubject(claims.accountId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config.accessTokenTtl}s`)
    .sign(keys.signing);
}

export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims> {
  const keys = await keysFor(config);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? keys.verifying.get(header.kid) : undefined;
        if (!key) throw new joseErrors.JWKSNoMatchingKey();
        return key;
      },
      { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] },
    ));
  } catch (cause) {
    const expired = cause instanceof joseErrors.JWTExpired;
    throw new AppError(
      "invalid_token",
      expired ? "The access token has expired" : "The access token is invalid",
      {
        cause,
        headers: { "www-authenticate": `Bearer error="invalid_token"` },
      },
    );
  }
  if (typeof payload.sub !== "string" || typeof payload.sid !== "string") {
    throw new AppError("invalid_token", "The access token is missing claims");
  }
  return {
    accountId: payload.sub,
    sessionId: payload.sid,
    profileId: typeof payload.pid === "string" ? payload.pid : null,
  };
}

export async function publicJwks(config: Config) {
  const { privateJwk, previousPublicJwks } = config.jwt;
  return { keys: [publicPart(privateJwk), ...previousPublicJwks.map(publicPart)] };
}
