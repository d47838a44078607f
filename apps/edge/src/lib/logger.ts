export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, fields: Record<string, unknown>) => void;

export const REDACTED = "[redacted]";

/**
 * Field names whose values are secrets or message contents, compared lower-cased without `_`/`-`:
 * one-time codes, tokens, passwords, links and message bodies (an email's text carries its code or
 * reset link). Exact names, then endings (`resetToken`, `newPassword`, `resetLink`, `apiKey`).
 */
const SECRET_FIELDS = new Set([
  "code",
  "otp",
  "body",
  "text",
  "html",
  "subject",
  "authorization",
  "cookie",
  "setcookie",
  "signature",
  "sig",
]);
const SECRET_ENDINGS = ["token", "tokens", "password", "passwordhash", "secret", "link", "apikey", "jwk"];

/**
 * Answers per field name, kept: every log line asks about each of its keys, and the keys are mostly
 * the same few names from code. Bounded, in case a caller logs an object keyed by data.
 */
const secretFieldMemo = new Map<string, boolean>();
const SECRET_FIELD_MEMO_MAX = 2000;

export function isSecretField(name: string): boolean {
  const known = secretFieldMemo.get(name);
  if (known !== undefined) return known;
  const key = name.toLowerCase().replace(/[-_]/g, "");
  const secret = SECRET_FIELDS.has(key) || SECRET_ENDINGS.some((end) => key.endsWith(end));
  if (secretFieldMemo.size < SECRET_FIELD_MEMO_MAX) secretFieldMemo.set(name, secret);
  return secret;
}

/**
 * Secrets inside any string: URL fragments and query values (a reset link's `?token=`, a signed URL's
 * `sig=`; parameter names stay, for debugging), and the playback token of a media path
 * (`/media/{videoId}/{token}/…`, see playback/token.ts).
 */
export function scrubString(value: string): string {
  // Each pattern below needs one of these; most strings (ids, enums, messages) have none.
  if (!value.includes("#") && !value.includes("?") && !value.includes("&") && !value.includes("/media/"))
    return value;
  return value
    .replace(/(?<=[\w/.~%=&?-])#[^\s"'<>]+/g, `#${REDACTED}`)
    .replace(/([?&])([^=&#\s"'<>]+)=([^&#\s"'<>]*)/g, `$1$2=${REDACTED}`)
    .replace(/(\/media\/[^/\s?#"'<>]+\/)[^/\s?#"'<>]+/g, `$1${REDACTED}`);
}

/** A copy of `value` with every secret-bearing field masked and every string scrubbed, at any depth. */
export function redact<T>(value: T, depth = 0): T {
  if (typeof value === "string") return scrubString(value) as T;
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretField(key) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1);
  }
  return out as T;
}

/**
 * One JSON object per line, always carrying the request id so a request's lines can be joined.
 * Every line goes through `redact`: logging is safe by construction, whatever a caller passes.
 */
export function createLogger(base: Record<string, unknown>): Logger {
  return (level, fields) => {
    const line = JSON.stringify(redact({ time: new Date().toISOString(), level, ...base, ...fields }));
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
