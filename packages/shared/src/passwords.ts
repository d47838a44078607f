/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto, so the same code runs in workerd,
 * Bun and Node. Cloudflare's production runtime refuses more than 100,000 iterations, so that
 * is the ceiling; the stored string is versioned (`pbkdf2-sha256$<iterations>$<salt>$<hash>`)
 * so a later scheme can be adopted by rehashing on the next successful login.
 */
export const PASSWORD_SCHEME = "pbkdf2-sha256";
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = PBKDF2_MAX_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BITS = 256;

export interface PasswordHashOptions {
  iterations?: number;
}

export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  if (iterations > PBKDF2_MAX_ITERATIONS || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be between 1 and ${PBKDF2_MAX_ITERATIONS}`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${PASSWORD_SCHEME}$${iterations}$${toB64(salt)}$${toB64(hash)}`;
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash uses an older scheme or parameters and should be replaced. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parsed = parseHash(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const actual = await derive(password, parsed.salt, parsed.iterations);
  const ok = constantTimeEqual(actual, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations !== PBKDF2_ITERATIONS };
}

/**
 * A well-formed hash of a random password. Login verifies against it when the email is
 * unknown, so an attacker cannot tell registered emails apart by response time.
 */
export async function decoyHash(): Promise<string> {
  return hashPassword(toB64(crypto.getRandomValues(new Uint8Array(16))));
}

function parseHash(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | null {
  const [scheme, iter, salt, hash] = stored.split("$");
  if (scheme !== PASSWORD_SCHEME || !iter || !salt || !hash) return null;
  const iterations = Number(iter);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return null;
  return { iterations, salt: fromB64(salt), hash: fromB64(hash) };
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function toB64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromB64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
