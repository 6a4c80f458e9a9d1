/**
 * Which addresses a webhook may reach. A sink is a URL a team types in and the service then
 * requests, so without a check it is a way into the service's own network (SSRF). Only http(s)
 * URLs are sinks, and only to public addresses unless `allowPrivate` (`--allow-private-sinks`).
 * This module reads addresses; resolving a host name is the service's job: it resolves the name,
 * checks every address with `isPrivateAddress`, and connects to the address it checked (so a DNS
 * answer that changes between check and connect cannot slip through).
 */

export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'unspecified'
  | 'shared'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'invalid';

/** Non-public IPv4 ranges: [first address, prefix length, class]. */
const V4_RANGES: [string, number, AddressClass][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** Dotted decimal, four parts, no leading zeros (which some parsers read as octal): else null. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** The eight 16-bit groups of an IPv6 address (brackets and a zone allowed, a dotted IPv4 tail too), or null. */
export function parseIPv6(s: string): number[] | null {
  let a = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const lastColon = a.lastIndexOf(':');
  if (lastColon >= 0 && a.slice(lastColon + 1).includes('.')) {
    // A dotted IPv4 tail is the last two groups written another way.
    const v4 = parseIPv4(a.slice(lastColon + 1));
    if (v4 === null) return null;
    a = `${a.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || rest === null) return null;
  const explicit = head.length + rest.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return null;
  return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
}

function classifyV4(n: number): AddressClass {
  for (const [base, bits, cls] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = parseIPv4(base)!;
    if (n >= start && n < start + size) return cls;
  }
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const v4 = (hi: number, lo: number): number => hi * 65536 + lo;
  const zeroUpTo = (k: number): boolean => g.slice(0, k).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) reach the embedded IPv4 address.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyV4(v4(g[6]!, g[7]!));
  if (zeroUpTo(6)) {
    const inner = classifyV4(v4(g[6]!, g[7]!));
    return inner === 'public' ? 'reserved' : inner;
  }
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) lead to the IPv4 address inside them.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private';
  if (g[0] === 0x2002) return classifyV4(v4(g[1]!, g[2]!));
  if (g[0]! >= 0xff00) return 'multicast';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  // 2001::/23 is IETF protocol space (Teredo at 2001::/32 tunnels to an address it hides).
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved';
  // Global unicast is 2000::/3; the rest is unassigned or special.
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** The class of an IP address (v4 or v6); 'invalid' when it is neither. */
export function classifyAddress(ip: string): AddressClass {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return classifyV4(v4);
  const v6 = parseIPv6(ip);
  return v6 === null ? 'invalid' : classifyV6(v6);
}

/** True for every address a sink may not reach without `allowPrivate`, and for anything that is not an address (fail closed). */
export function isPrivateAddress(ip: string): boolean {
  return classifyAddress(ip) !== 'public';
}

export interface SinkUrlOptions {
  allowPrivate?: boolean;
}

export type SinkUrlCheck =
  /** `address` is the host when the URL names an IP; null when it is a name the service must resolve and check. */
  | { ok: true; url: string; hostname: string; address: string | null }
  | { ok: false; reason: string };

/** Checks a sink URL as typed: scheme, and the host when it is an IP literal or a loopback name. */
export function checkSinkUrl(raw: string, opts: SinkUrlOptions = {}): SinkUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `sink URL is not a URL: ${JSON.stringify(raw)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `sink URL must be http or https, not ${url.protocol.slice(0, -1)}` };
  // The WHATWG parser has already turned 0x7f.1, 2130706433 and the like into dotted decimal.
  const hostname = url.hostname.replace(/\.$/, '').toLowerCase();
  if (!hostname) return { ok: false, reason: 'sink URL has no host' };
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : parseIPv4(hostname) !== null ? hostname : null;
  // RFC 6761: every *.localhost name is loopback, whatever DNS says.
  const cls = literal !== null ? classifyAddress(literal) : hostname === 'localhost' || hostname.endsWith('.localhost') ? 'loopback' : 'public';
  if (cls !== 'public' && !opts.allowPrivate) {
    return { ok: false, reason: `sink host ${hostname} is a ${cls} address; allow private sinks (--allow-private-sinks) to use it` };
  }
  return { ok: true, url: url.href, hostname, address: literal };
}
