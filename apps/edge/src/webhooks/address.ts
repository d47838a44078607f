/**
 * Where a webhook may point (no SSRF): an https URL without credentials whose host is a public
 * address, or a name all of whose A/AAAA records are public. Names are resolved over DNS-over-HTTPS
 * (the JSON API Cloudflare's and Google's resolvers speak; DNS_RESOLVER_URL), at registration and
 * again before every attempt, so a name re-pointed at 127.0.0.1 after it was registered is refused
 * then too. Redirects are never followed (deliver.ts), so a public URL cannot bounce inward.
 *
 * One layer, not the whole defence: the runtime resolves the name again when it connects, so a
 * resolver that answers each query differently (DNS rebinding, zero TTL) can still slip a request
 * past this check. The deployment's egress policy is the other layer (docs/webhooks.md).
 *
 * `allowedOrigins` (WEBHOOK_ALLOWED_ORIGINS, refused in production by config.ts) exempts exact
 * origins such as a test receiver on http://127.0.0.1:port; nothing else is.
 */

import type { Config } from "../config";

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

export interface AddressRules {
  resolverUrl: string;
  allowedOrigins: readonly string[];
  /** This deployment's own hosts (PUBLIC_URL's): a webhook must not call Marquee back. */
  deniedHosts?: readonly string[];
  fetcher?: typeof fetch;
}

/** The rules a deployment's configuration makes. */
export const addressRulesOf = (config: Pick<Config, "webhooks" | "publicUrl">): AddressRules => ({
  ...config.webhooks,
  deniedHosts: [new URL(config.publicUrl).hostname.toLowerCase()],
});

/** Names that only mean something inside a network, never on the public internet. */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

export async function checkWebhookUrl(raw: string, rules: AddressRules): Promise<AddressVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("is not a URL");
  }
  if (rules.allowedOrigins.includes(url.origin)) return { ok: true };
  if (url.protocol !== "https:") return refuse("must use https");
  if (url.username || url.password) return refuse("must not carry a user name or password");
  // The WHATWG parser already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  const host = url.hostname.toLowerCase();
  if (host.startsWith("[")) {
    return isPublicIpv6(host.slice(1, -1)) ? { ok: true } : refuse(`points at a private address (${host})`);
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    return isPublicIpv4(host) ? { ok: true } : refuse(`points at a private address (${host})`);
  }
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (!name.includes(".") || name === "localhost" || INTERNAL_SUFFIXES.some((s) => name.endsWith(s))) {
    return refuse(`names a host that is not public (${name})`);
  }
  if ((rules.deniedHosts ?? []).some((d) => name === d || name.endsWith(`.${d}`))) {
    return refuse(`names this Marquee deployment itself (${name})`);
  }
  // What DNS can carry at all (RFC 1035): a resolver refuses longer names, which is the caller's fault.
  if (name.length > 253 || name.split(".").some((label) => label.length === 0 || label.length > 63)) {
    return refuse(`names a host DNS cannot hold (${name.slice(0, 80)}…)`);
  }
  const addresses = await resolve(name, rules);
  if (addresses.length === 0) return refuse(`host ${name} does not resolve`);
  const inner = addresses.find((a) => !(a.includes(":") ? isPublicIpv6(a) : isPublicIpv4(a)));
  if (inner) return refuse(`host ${name} resolves to a private address (${inner})`);
  return { ok: true };
}

const refuse = (reason: string): AddressVerdict => ({ ok: false, reason: `The webhook URL ${reason}` });

/** Thrown when the resolver itself fails: not the caller's fault, and nothing is decided. */
export class ResolverUnavailable extends Error {}

interface DohAnswer {
  Status?: number;
  Answer?: { type: number; data: string }[];
}

/** Every A and AAAA address of the name (CNAMEs followed by the resolver). */
async function resolve(name: string, rules: AddressRules): Promise<string[]> {
  const fetcher = rules.fetcher ?? fetch;
  const lookups = (
    [
      ["A", 1],
      ["AAAA", 28],
    ] as const
  ).map(async ([type, code]) => {
    const query = new URL(rules.resolverUrl);
    query.searchParams.set("name", name);
    query.searchParams.set("type", type);
    let answer: DohAnswer;
    try {
      const res = await fetcher(query, {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`resolver answered ${res.status}`);
      answer = (await res.json()) as DohAnswer;
    } catch (error) {
      throw new ResolverUnavailable(`DNS lookup of ${name} failed: ${String(error)}`);
    }
    // NXDOMAIN (3) and NOERROR without records both mean "no address of this type".
    if (answer.Status !== 0 && answer.Status !== 3) {
      throw new ResolverUnavailable(`DNS lookup of ${name} failed with status ${answer.Status}`);
    }
    const records = Array.isArray(answer.Answer) ? answer.Answer : [];
    return records
      .filter((a) => a.type === code && typeof a.data === "string")
      .map((a) => a.data.toLowerCase());
  });
  return (await Promise.all(lookups)).flat();
}

/** Blocked IPv4 ranges: this network, private, CGNAT, loopback, link-local, documentation, multicast, reserved. */
const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToInt(ip: string): number | null {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function isPublicIpv4(ip: string): boolean {
  const value = v4ToInt(ip);
  if (value === null) return false;
  return !BLOCKED_V4.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === ((v4ToInt(base) as number) & mask) >>> 0;
  });
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail), or null. */
function v6Groups(ip: string): number[] | null {
  // A zone index (%eth0) names a local interface: such an address is never public.
  if (ip.includes("%")) return null;
  let text = ip.toLowerCase();
  const v4 = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4?.[1] !== undefined && v4[2] !== undefined) {
    const n = v4ToInt(v4[2]);
    if (n === null) return null;
    text = `${v4[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * Public IPv6: global unicast (2000::/3) only, minus documentation (2001:db8::/32), and 6to4
 * (2002::/16) or Teredo (2001::/32) judged by the IPv4 address they carry. Everything outside
 * 2000::/3 is refused: loopback, unspecified, IPv4-mapped, NAT64, unique-local, link-local, multicast.
 */
export function isPublicIpv6(ip: string): boolean {
  const groups = v6Groups(ip);
  if (!groups) return false;
  const g = (i: number) => groups[i] ?? 0;
  if ((g(0) & 0xe000) !== 0x2000) return false;
  if (g(0) === 0x2001 && g(1) === 0x0db8) return false;
  if (g(0) === 0x2002) return isPublicIpv4(`${g(1) >> 8}.${g(1) & 255}.${g(2) >> 8}.${g(2) & 255}`);
  if (g(0) === 0x2001 && g(1) === 0) {
    // Teredo: the client's IPv4 address is the last 32 bits, inverted.
    const a = ~g(6) & 0xffff;
    const b = ~g(7) & 0xffff;
    return isPublicIpv4(`${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`);
  }
  return true;
}
