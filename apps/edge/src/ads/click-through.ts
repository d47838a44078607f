/**
 * A campaign's click-through URL: where the click redirect (delivery-routes.ts) sends a viewer.
 * It is checked once, when the advertiser sets it, and stored normalised (WHATWG `href`), so the
 * URL that was checked is byte for byte the URL the redirect answers with.
 *
 * Refused: anything but https; credentials (`https://marquee.example@evil.test` reads like our
 * host to a person); IP literals of private, loopback, link-local or otherwise internal ranges (also
 * embedded in IPv6: IPv4-mapped, IPv4-compatible, 6to4, NAT64) and local-only names (the redirect
 * must not point viewers' browsers into their own network); and the platform's own host, any
 * subdomain of it, and its parent domain itself (an ad's "Learn more" must never land on a page of
 * ours that could pass for the platform, nor bounce through our own redirect).
 *
 * Limits, on purpose: the edge never fetches the URL (the click redirect only sends the viewer's
 * browser there), so there is no server-side request to forge; and a public name that *resolves* to
 * a private address cannot be told without DNS (which can change after the check anyway). Sibling
 * hosts of PUBLIC_URL (`www.example.com` beside `app.example.com`) are not refused: telling the
 * platform's registrable domain from a shared suffix (`pages.dev`) needs the public suffix list.
 */

export const MAX_CLICK_THROUGH_LENGTH = 2000;

/** Characters the URL parser would silently drop or re-encode: refused so the input is what is stored. */
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** The eight 16-bit groups of a WHATWG-serialised IPv6 address (lower-case hex, `::` compressed). */
function hextets(v6: string): number[] | null {
  const [head = "", tail, ...rest] = v6.split("::");
  if (rest.length > 0) return null;
  const part = (p: string) => (p === "" ? [] : p.split(":").map((h) => Number.parseInt(h, 16)));
  const [a, b] = [part(head), part(tail ?? "")];
  const groups = tail === undefined ? a : [...a, ...Array(8 - a.length - b.length).fill(0), ...b];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** The dotted IPv4 address in two 16-bit groups. */
const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

function isPrivateV6(v6: string): boolean {
  const g = hextets(v6);
  if (!g) return true; // not an address we can read: refused rather than guessed
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0] = g;
  const zeros = (xs: number[]) => xs.every((x) => x === 0);
  return (
    // ::/96: unspecified, loopback and IPv4-compatible (deprecated; never a public host).
    zeros([g0, g1, g2, g3, g4, g5]) ||
    // ::ffff:0:0/96 IPv4-mapped and 64:ff9b::/96 NAT64: whatever IPv4 they carry, not a landing page.
    (zeros([g0, g1, g2, g3, g4]) && g5 === 0xffff) ||
    (g0 === 0x64 && g1 === 0xff9b) ||
    // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast.
    (g0 & 0xfe00) === 0xfc00 ||
    (g0 & 0xffc0) === 0xfe80 ||
    (g0 & 0xffc0) === 0xfec0 ||
    (g0 & 0xff00) === 0xff00 ||
    // 2002::/16 6to4: refused when the IPv4 address it embeds is.
    (g0 === 0x2002 && isPrivateAddress(v4Of(g1, g2)))
  );
}

/** Is `host` (a URL's hostname: lower case, IPv6 in brackets) an address of a private or internal range? */
export function isPrivateAddress(host: string): boolean {
  if (host.startsWith("[")) return isPrivateV6(host.slice(1, -1));
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

/**
 * Null, or why `url` (already normalised) points at the platform itself: PUBLIC_URL's host, any
 * subdomain of it, or its parent domain exactly (`example.com` for `app.example.com`; when the parent
 * is a shared suffix such as `pages.dev` or `co.uk`, nobody's landing page is that bare name, so
 * refusing it exactly is never too broad — its other subdomains are not refused, see above).
 */
export function platformProblem(url: string, publicUrl: string): string | null {
  const host = bareHost(new URL(url).hostname);
  const ours = bareHost(new URL(publicUrl).hostname);
  const dot = ours.indexOf(".");
  const parent = dot > 0 && !ours.startsWith("[") && !/^[\d.]+$/.test(ours) ? ours.slice(dot + 1) : null;
  const own = host === ours || host.endsWith(`.${ours}`) || (parent?.includes(".") && host === parent);
  return own ? "Not the platform's own site" : null;
}
