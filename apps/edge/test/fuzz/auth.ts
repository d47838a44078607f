/**
 * Bad Authorization header values. Some are plain garbage; others are real JWTs that fail one
 * check each (algorithm, key, expiry, issuer, audience, claims), several of them signed with the
 * worker's own key so the server gets past the signature and exercises the code after it.
 */
import { importJWK, SignJWT } from "jose";

export interface BadCredential {
  name: string;
  /** The Authorization header value. */
  header: string;
  /** The answer must be 401. False for variants a server may reasonably accept or refuse. */
  certain: boolean;
}

interface Claims {
  sub: string;
  sid: string;
  pid?: string;
}

const b64url = (value: string | Uint8Array) => {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

const decodePart = (part: string): Record<string, unknown> =>
  JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;

export async function buildBadCredentials(options: {
  /** The worker's signing key (env.JWT_PRIVATE_JWK). */
  signingJwk: string;
  /** A live access token; its claims are reused so only one thing is wrong at a time. */
  liveToken: string;
  /** An access token whose session has been ended. */
  revokedToken: string;
}): Promise<BadCredential[]> {
  const { liveToken } = options;
  const [rawHeader = "", rawPayload = "", signature = ""] = liveToken.split(".");
  const live = decodePart(rawPayload) as unknown as Claims & Record<string, unknown>;
  const kid = String(decodePart(rawHeader).kid ?? "");
  const now = Math.floor(Date.now() / 1000);

  const realJwk = JSON.parse(options.signingJwk) as JsonWebKey & { kid: string };
  const realKey = await importJWK({ ...realJwk, alg: "ES256" }, "ES256");
  const foreign = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;

  const sign = (
    key: Parameters<SignJWT["sign"]>[0],
    claims: Record<string, unknown>,
    opts: { kid?: string; iss?: string; aud?: string; iat?: number; exp?: number; nbf?: number } = {},
  ) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: opts.kid ?? kid })
      .setIssuer(opts.iss ?? "marquee")
      .setAudience(opts.aud ?? "marquee-api")
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 600);
    if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
    return jwt.sign(key);
  };
  const liveClaims = { sub: live.sub, sid: live.sid, ...(live.pid ? { pid: live.pid } : {}) };

  const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
    `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.`;
  const fullPayload = { ...liveClaims, iss: "marquee", aud: "marquee-api", iat: now, exp: now + 600 };

  const hmacKey = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(
      JSON.stringify({ kty: realJwk.kty, crv: realJwk.crv, x: realJwk.x, y: realJwk.y }),
    ),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const hsInput = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid }))}.${b64url(JSON.stringify(fullPayload))}`;
  const hsSignature = new Uint8Array(
    await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(hsInput)),
  );

  const tampered = `${rawHeader}.${b64url(JSON.stringify({ ...live, sub: "acc_someoneelse" }))}.${signature}`;

  const certain: [string, string][] = [
    ["Bearer without token", "Bearer"],
    ["Bearer garbage", "Bearer garbage"],
    ["Bearer three dots", "Bearer a.b.c"],
    ["Bearer non-token characters", "Bearer %%<>{}|^`"],
    ["two tokens", `Bearer ${liveToken} ${liveToken}`],
    ["comma-separated credentials", `Bearer ${liveToken}, Bearer x`],
    ["Basic xyz", "Basic xyz"],
    ["Basic user:pass", `Basic ${btoa("admin:admin")}`],
    ["Digest", 'Digest username="admin", realm="marquee"'],
    ["10k-char token", `Bearer ${"A".repeat(10_000)}`],
    ["alg none", `Bearer ${unsigned({ alg: "none", typ: "JWT" }, fullPayload)}`],
    ["alg none with real kid", `Bearer ${unsigned({ alg: "none", typ: "JWT", kid }, fullPayload)}`],
    ["HS256 keyed with the public key", `Bearer ${hsInput}.${b64url(hsSignature)}`],
    ["foreign ES256 key, real kid", `Bearer ${await sign(foreign.privateKey, liveClaims)}`],
    [
      "foreign ES256 key, unknown kid",
      `Bearer ${await sign(foreign.privateKey, liveClaims, { kid: "fuzz-kid" })}`,
    ],
    ["expired", `Bearer ${await sign(realKey, liveClaims, { iat: now - 7200, exp: now - 3600 })}`],
    ["not yet valid", `Bearer ${await sign(realKey, liveClaims, { nbf: now + 3600 })}`],
    ["wrong issuer", `Bearer ${await sign(realKey, liveClaims, { iss: "someone-else" })}`],
    ["wrong audience", `Bearer ${await sign(realKey, liveClaims, { aud: "another-api" })}`],
    ["missing sid", `Bearer ${await sign(realKey, { sub: live.sub })}`],
    ["numeric sid", `Bearer ${await sign(realKey, { sub: live.sub, sid: 42 })}`],
    ["object sub", `Bearer ${await sign(realKey, { sub: { id: live.sub }, sid: live.sid })}`],
    ["unknown session", `Bearer ${await sign(realKey, { sub: live.sub, sid: "ses_doesnotexist" })}`],
    [
      "sql in claims",
      `Bearer ${await sign(realKey, { sub: "' OR 1=1--", sid: "' OR '1'='1", pid: "'; DROP TABLE profiles;--" })}`,
    ],
    ["5k-char claims", `Bearer ${await sign(realKey, { sub: "x".repeat(5000), sid: "y".repeat(5000) })}`],
    [
      "session of another account",
      `Bearer ${await sign(realKey, { sub: "acc_someoneelse", sid: live.sid })}`,
    ],
    ["tampered payload", `Bearer ${tampered}`],
    ["truncated signature", `Bearer ${liveToken.slice(0, -6)}`],
    ["revoked session", `Bearer ${options.revokedToken}`],
  ];
  // A server may tolerate these (auth schemes are case-insensitive, whitespace is forgiving) or
  // refuse them; what matters is that the answer is well-formed. The newline variant never
  // leaves the client: fetch refuses such header values, and the test skips it.
  const lenient: [string, string][] = [
    ["empty header", ""],
    ["token then base64 padding", `Bearer ${liveToken}==`],
    ["lowercase scheme", `bearer ${liveToken}`],
    ["double space", `Bearer  ${liveToken}`],
    ["tab separator", `Bearer\t${liveToken}`],
    ["newline in token", `Bearer ${liveToken.slice(0, 10)}\n${liveToken.slice(10)}`],
  ];
  return [
    ...certain.map(([name, header]) => ({ name, header, certain: true })),
    ...lenient.map(([name, header]) => ({ name, header, certain: false })),
  ];
}
