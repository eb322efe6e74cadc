// The reference semantics of a policy: what every compiled format must agree with, and what
// shadow impact replays past traffic through. Matching is on the raw path, strictly: a path
// a proxy or upstream could read two ways (`..`, `//`, encoded slashes, a trailing slash) is
// denied rather than guessed, methods and literals are case-sensitive, and `{name}` takes one
// non-empty segment.
import { BlockList, isIP } from 'node:net';
import { parseTemplate, type Segment } from '@/server/discovery/template';
import type { Decision, DenyEntry, PolicyDocument, PolicyRequest } from './model';

export type DenyReason = 'denied_actor' | 'not_whitelisted' | 'ambiguous_path';

export interface Verdict {
  decision: Decision;
  /** why it was denied */
  reason?: DenyReason;
}

// `%2F` `%5C` (slashes) and `%2E` (dots) let a path mean something else after decoding.
const AMBIGUOUS_ESCAPE = /%(2f|5c|2e|00)/i;

/**
 * The path's segments, or null when the path is ambiguous: dot segments, empty segments (`//`
 * and a trailing slash), encoded slashes, backslashes or dots, or anything but an absolute path.
 */
export function strictSegments(rawPath: string): string[] | null {
  const q = rawPath.indexOf('?');
  const path = q === -1 ? rawPath : rawPath.slice(0, q);
  if (path === '/') return [];
  if (path[0] !== '/' || path.includes('\\') || path.includes('#') || AMBIGUOUS_ESCAPE.test(path)) return null;
  const segs = path.slice(1).split('/');
  for (const s of segs) if (s === '' || s === '.' || s === '..') return null;
  return segs;
}

class Node {
  literals = new Map<string, Node>();
  mixed: { prefix: string; suffix: string; node: Node }[] = [];
  param: Node | null = null;
  end = false;
}

function insert(root: Node, segs: Segment[]) {
  let n = root;
  for (const s of segs) {
    if (s.kind === 'literal') {
      let c = n.literals.get(s.text);
      if (!c) n.literals.set(s.text, (c = new Node()));
      n = c;
    } else if (s.kind === 'param') {
      n = n.param ??= new Node();
    } else {
      let m = n.mixed.find((x) => x.prefix === s.prefix && x.suffix === s.suffix);
      if (!m) n.mixed.push((m = { prefix: s.prefix, suffix: s.suffix, node: new Node() }));
      n = m.node;
    }
  }
  n.end = true;
}

function matches(n: Node, segs: string[], i: number): boolean {
  if (i === segs.length) return n.end;
  const v = segs[i];
  const lit = n.literals.get(v);
  if (lit && matches(lit, segs, i + 1)) return true;
  for (const m of n.mixed) {
    if (v.length > m.prefix.length + m.suffix.length && v.startsWith(m.prefix) && v.endsWith(m.suffix) && matches(m.node, segs, i + 1)) return true;
  }
  return n.param !== null && matches(n.param, segs, i + 1);
}

/** The deny list in force at `now`: expired entries no longer apply. */
export function activeDenies(deny: DenyEntry[], now: Date): DenyEntry[] {
  return deny.filter((d) => d.expiresAt === null || Date.parse(d.expiresAt) > now.getTime());
}

/** IPv4 as an unsigned 32-bit number, or -1 when `s` is not a dotted quad. */
function ipv4(s: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return n * 256 + part;
}

/**
 * Denied addresses: IPv4 blocks checked in plain arithmetic (shadow impact runs this on every
 * event), IPv6 through Node's BlockList.
 */
class AddressSet {
  private v4: { net: number; mask: number }[] = [];
  private v6 = new BlockList();
  private hasV6 = false;
  readonly size: number;

  constructor(entries: DenyEntry[]) {
    for (const e of entries) {
      const [addr, bits] = e.value.split('/');
      const family = isIP(addr);
      if (family === 4) {
        const len = bits === undefined ? 32 : Number(bits);
        const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
        this.v4.push({ net: (ipv4(addr) & mask) >>> 0, mask });
      } else if (family === 6) {
        if (bits === undefined) this.v6.addAddress(addr, 'ipv6');
        else this.v6.addSubnet(addr, Number(bits), 'ipv6');
        this.hasV6 = true;
      }
    }
    this.size = entries.length;
  }

  has(ip: string): boolean {
    // a dual-stack listener reports IPv4 clients as `::ffff:a.b.c.d`
    const n = ipv4(ip.length > 7 && ip.startsWith('::ffff:') ? ip.slice(7) : ip);
    if (n >= 0) {
      for (const b of this.v4) if (((n & b.mask) >>> 0) === b.net) return true;
      return false;
    }
    return this.hasV6 && isIP(ip) === 6 && this.v6.check(ip, 'ipv6');
  }
}

/** A policy compiled for fast evaluation: one path trie per (caller, method). */
export class PolicyMatcher {
  private tries = new Map<string, Node>();
  private tokens: Set<string>;
  private users: Set<string>;
  private ips: AddressSet;

  constructor(doc: PolicyDocument, now: Date = new Date()) {
    for (const r of doc.allow) {
      const k = `${r.caller}\u0000${r.method}`;
      let root = this.tries.get(k);
      if (!root) this.tries.set(k, (root = new Node()));
      insert(root, parseTemplate(r.template));
    }
    const deny = activeDenies(doc.deny, now);
    this.tokens = new Set(deny.filter((d) => d.kind === 'token').map((d) => d.value));
    this.users = new Set(deny.filter((d) => d.kind === 'user').map((d) => d.value));
    this.ips = new AddressSet(deny.filter((d) => d.kind === 'ip'));
  }

  evaluate(req: PolicyRequest): Verdict {
    if (req.tokenId && this.tokens.has(req.tokenId)) return { decision: 'deny', reason: 'denied_actor' };
    if (req.userId && this.users.has(req.userId)) return { decision: 'deny', reason: 'denied_actor' };
    if (this.ips.size > 0 && req.clientIp && this.ips.has(req.clientIp)) {
      return { decision: 'deny', reason: 'denied_actor' };
    }
    const segs = strictSegments(req.path);
    if (segs === null) return { decision: 'deny', reason: 'ambiguous_path' };
    const root = this.tries.get(`${req.caller}\u0000${req.method}`);
    if (root && matches(root, segs, 0)) return { decision: 'allow' };
    return { decision: 'deny', reason: 'not_whitelisted' };
  }
}

export function evaluatePolicy(doc: PolicyDocument, req: PolicyRequest, now?: Date): Verdict {
  return new PolicyMatcher(doc, now).evaluate(req);
}
