// Addresses and CIDR blocks as numbers: the compilers write a block's network address (nginx
// warns about host bits, Envoy and Istio ignore them) and the evaluators test membership the
// way the proxies do, an IPv4 block never containing an IPv6 address or the reverse.
import { isIP } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  /** the network address, host bits cleared, in its usual text form */
  address: string;
  bits: number;
}

function v4ToBig(a: string): bigint {
  return a.split('.').reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
}

function v6ToBig(a: string): bigint {
  let s = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = v4ToBig(v4[1]);
    s = s.slice(0, v4.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function addressToBig(a: string): { family: 4 | 6; value: bigint } | null {
  const f = isIP(a);
  if (f === 4) return { family: 4, value: v4ToBig(a) };
  if (f === 6) return { family: 6, value: v6ToBig(a.split('%')[0]) };
  return null;
}

function bigToAddress(n: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  if (n >> 32n === 0xffffn) return `::ffff:${bigToAddress(n & 0xffffffffn, 4)}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes `::`
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > len && j - i >= 2) { best = i; len = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + len).join(':')}`;
}

function mask(family: 4 | 6, bits: number): bigint {
  const width = family === 4 ? 32 : 128;
  return ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
}

/** An address or block (`203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`), or null when it is neither. */
export function parseCidr(v: string): Cidr | null {
  const [addr, bitsText, extra] = v.split('/');
  const a = addressToBig(addr);
  if (!a || extra !== undefined) return null;
  const width = a.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= width)) return null;
  return { family: a.family, address: bigToAddress(a.value & mask(a.family, bits), a.family), bits };
}

export function cidrText(c: Cidr): string {
  return c.bits === (c.family === 4 ? 32 : 128) ? c.address : `${c.address}/${c.bits}`;
}

export function inCidr(address: string, c: Cidr): boolean {
  const a = addressToBig(address);
  if (!a || a.family !== c.family) return false;
  const m = mask(c.family, c.bits);
  return (a.value & m) === (addressToBig(c.address)!.value & m);
}

const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * The block and its IPv4-mapped twin (`203.0.113.0/24` and `::ffff:203.0.113.0/120`): a
 * dual-stack listener sees an IPv4 client as `::ffff:a.b.c.d`, and Envoy compares addresses
 * of one family only, so a block written once would miss the other spelling (the reference
 * evaluator, like Node's BlockList, treats both as the same client).
 */
export function withMappedTwin(c: Cidr): Cidr[] {
  const v = addressToBig(c.address)!.value;
  if (c.family === 4) return [c, { family: 6, address: bigToAddress(MAPPED_PREFIX | v, 6), bits: 96 + c.bits }];
  if (c.bits >= 96 && v >> 32n === 0xffffn) return [c, { family: 4, address: bigToAddress(v & 0xffffffffn, 4), bits: c.bits - 96 }];
  return [c];
}

/** Active `ip` deny entries as blocks, each with its mapped twin, without duplicates. */
export function denyBlocks(values: string[]): Cidr[] {
  const out = new Map<string, Cidr>();
  for (const v of values) {
    const c = parseCidr(v);
    if (c) for (const t of withMappedTwin(c)) out.set(cidrText(t), t);
  }
  return [...out.values()];
}
