/**
 * A campaign's click-through URL: where the click redirect (delivery-routes.ts) sends a viewer.
 * It is checked once, when the advertiser sets it, and stored normalised (WHATWG `href`), so the
 * URL that was checked is byte for byte the URL the redirect answers with.
 *
 * Refused: anything but https; credentials (`https://marquee.example@evil.test` reads like our
 * host to a person); IP literals of private, loopback, link-local or otherwise internal ranges and
 * local-only names (the redirect must not point viewers into their own network); and the platform's
 * own host or any subdomain of it (an ad's "Learn more" must never land on a page of ours that
 * could pass for the platform, nor bounce through our own redirect).
 */

export const MAX_CLICK_THROUGH_LENGTH = 2000;

/** Characters the URL parser would silently drop or re-encode: refused so the input is what is stored. */
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** Is `host` (a URL's hostname: lower case, IPv6 in brackets) an address of a private or internal range? */
export function isPrivateAddress(host: string): boolean {
  if (host.startsWith("[")) {
    const v6 = host.slice(1, -1);
    // Unspecified, loopback, unique-local (fc00::/7), link-local (fe80::/10), IPv4-mapped/-compatible.
    return (
      v6 === "::" ||
      v6 === "::1" ||
      /^f[cd]/.test(v6) ||
      /^fe[89ab]/.test(v6) ||
      v6.startsWith("::ffff:") ||
      /^::\d/.test(v6) ||
      v6.startsWith("64:ff9b:")
    );
  }
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

const bareHost = (host: string) => host.toLowerCase().replace(/\.+$/, "");

/**
 * What is wrong with `raw` as a click-through URL, or null when it may be stored. The checks that
 * need no configuration (the schema runs them); `platformProblem` adds the platform's own host.
 */
export function clickThroughProblem(raw: string): string | null {
  if (raw.length > MAX_CLICK_THROUGH_LENGTH) return `At most ${MAX_CLICK_THROUGH_LENGTH} characters`;
  if (WHITESPACE_OR_CONTROL.test(raw)) return "No spaces or control characters";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Not an absolute URL";
  }
  if (url.protocol !== "https:") return "Only https URLs";
  if (url.username !== "" || url.password !== "") return "No user name or password in the URL";
  const host = bareHost(url.hostname);
  if (host === "" || isPrivateAddress(host)) return "Not a private or internal address";
  if (!host.startsWith("[") && !/^\d+(\.\d+){3}$/.test(host)) {
    if (!host.includes(".") || LOCAL_NAMES.test(host)) return "A public host name (with a domain)";
  }
  if (url.href.length > MAX_CLICK_THROUGH_LENGTH) return `At most ${MAX_CLICK_THROUGH_LENGTH} characters`;
  return null;
}

/** The stored form: the parsed URL's href (only call once `clickThroughProblem` is null). */
export const normaliseClickThrough = (raw: string): string => new URL(raw).href;

/** Null, or why `url` (already normalised) points at the platform itself (PUBLIC_URL's host or a subdomain). */
export function platformProblem(url: string, publicUrl: string): string | null {
  const host = bareHost(new URL(url).hostname);
  const ours = bareHost(new URL(publicUrl).hostname);
  if (host === ours || host.endsWith(`.${ours}`)) return "Not the platform's own site";
  return null;
}
