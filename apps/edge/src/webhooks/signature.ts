/**
 * Delivery signatures (docs/webhooks.md): `Marquee-Signature: t=<unix seconds>,v1=<hex>` where the
 * hex is HMAC-SHA256, keyed with the endpoint's secret, over `<t>.<body>`. While a rotated-out
 * secret is still valid a second `v1=` signs with it, so a receiver holding either secret verifies.
 * The timestamp is inside what is signed: a receiver refuses old ones, so a captured delivery
 * cannot be replayed later.
 */
import { base64url } from "../lib/ids";

export const SIGNATURE_HEADER = "Marquee-Signature";

export function newWebhookSecret(): string {
  return `whsec_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header value for `body` sent at `timestampSeconds`, one `v1=` per valid secret. */
export async function signatureHeader(
  secrets: readonly string[],
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const macs = await Promise.all(secrets.map((s) => hmacHex(s, `${timestampSeconds}.${body}`)));
  return [`t=${timestampSeconds}`, ...macs.map((m) => `v1=${m}`)].join(",");
}

/**
 * What a receiver does (the docs' snippet, kept honest by the tests): true when one `v1=` matches
 * the secret and `t` is within `toleranceSeconds` of now.
 */
export async function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  return parts.some(([k, v]) => k === "v1" && v !== undefined && timingSafeEqual(v, expected));
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
