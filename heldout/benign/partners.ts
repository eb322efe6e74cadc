// Data aggregators refreshing their customers' linked accounts through the FDX API: every few
// hours a sweep over every consent, several workers at once from the partner's servers, each
// consent with its own token. Labelled `partner_aggregator`.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import type { Partner } from '../config';
import { rand, type Rand } from '../rand';
import type { BankWorld } from '../world';

interface Consent {
  id: string;
  customer: string;
  accounts: string[];
}

const B64URL = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

export function consentsOf(w: BankWorld, p: Partner): Consent[] {
  const r = rand(w.seed, 'consents', p.name);
  const n = Math.max(8, Math.round(p.consentsAt15 * w.scale));
  return Array.from({ length: n }, () => {
    const c = w.people.customers[r.below(w.people.customers.length)];
    return { id: r.uuid(), customer: c.id, accounts: c.accounts.map(() => r.chars(22, B64URL)) };
  });
}

function* worker(w: BankWorld, r: Rand, p: Partner, queue: Consent[], ip: string, day: number, full: boolean): Agent {
  for (let c = queue.shift(); c; c = queue.shift()) {
    const who: Who = { token: w.people.bearer('fdx', p.name, c.id, day), user: c.customer, ip, ua: p.ua, label: { cohorts: ['partner_aggregator'] } };
    const consent = new Map([['consentId', c.id]]);
    w.call(who, { route: 'ob.accounts', params: consent }, r);
    for (const account of c.accounts) {
      yield w.now + r.range(60, 400);
      const since = new Date(w.now - p.everyH * 3_600_000 - 86_400_000).toISOString();
      w.call(who, { route: 'ob.txns', params: new Map([['consentId', c.id], ['fdxAccountId', account]]), query: `startTime=${encodeURIComponent(since)}&limit=100` }, r);
    }
    if (full) {
      yield w.now + r.range(60, 400);
      w.call(who, { route: 'ob.customer', params: consent }, r);
    }
    yield w.now + r.range(100, 700);
  }
}

/** The partner's scheduler: a sweep every `everyH` hours (the first at a seeded phase). */
export function* partnerSchedule(w: BankWorld, p: Partner, end: number): Agent {
  const consents = consentsOf(w, p);
  const period = p.everyH * 3_600_000;
  const phase = rand(w.seed, 'partner phase', p.name).below(period);
  for (let k = Math.ceil((w.now - phase) / period); k * period + phase < end; k++) {
    yield k * period + phase;
    const r = rand(w.seed, 'sweep', p.name, k);
    const day = Math.floor(w.now / 86_400_000);
    const queue = r.shuffle(consents.slice());
    const full = k % Math.max(1, Math.round(24 / p.everyH)) === 0; // the customer's details once a day
    for (let i = 0, n = r.int(4, 8); i < n; i++) w.engine.start(w.now + r.range(0, 3000), worker(w, rand(w.seed, 'sweep worker', p.name, k, i), p, queue, p.ips[i % p.ips.length], day, full));
  }
}
