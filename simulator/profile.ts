import type { Persona } from './population';
import { hostingIp, residentialIp } from './population';
import { rng, type Prng } from './random';
import type { DayShape } from './rate-curve';

/** A mobile carrier whose customers share a few public addresses (carrier-grade NAT). */
export interface Carrier {
  name: string;
  ips: string[];
}

/** A partner that reads linked customers' orders with their delegated tokens, on a schedule. */
export interface Aggregator {
  name: string;
  ua: string;
  ips: string[];
  everyMin: number;
  /** minute of the period its sweep starts in */
  phaseMin: number;
  /** linked customers at 20 events/s; scales with the rate (a bigger shop has more) */
  linkedAt20: number;
}

/** How a world's attacks differ from another seed's: faster or slower, longer or shorter, bigger botnets. */
export interface AttackProfile {
  /** multiplies request rates (and divides gaps) */
  intensity: number;
  /** multiplies durations */
  duration: number;
  /** multiplies botnet sizes */
  botnet: number;
}

/**
 * What differs between seeds besides the individual choices: population size and mix, the day's
 * shape, how big each benign cohort is and how hard the attacks push. Drawn from the seed within
 * realistic ranges, so a detector tuned to one world meets another on the next seed.
 */
export interface Profile {
  users: number;
  staff: number;
  personas: [Persona, number][];
  day: DayShape;
  /** shares of the benign rate (after jobs, monitors and partners) for the non-session sources */
  shares: { devicePosts: number; crawls: number; webhooks: number };
  cgnat: { carriers: Carrier[]; /** of app and vehicle-app users */ share: number };
  vpn: { exits: string[]; /** of web users */ share: number };
  office: string[];
  aggregators: Aggregator[];
  sellers: { count: number; /** products walked per minute at 20 events/s */ perRunAt20: number; block: number };
  /** probability that viewing a parcel's tracking / a vehicle leaves the app polling it */
  polling: { tracking: number; vehicle: number };
  /** probability that a sign-in starts with mistyped passwords */
  typo: number;
  /** probability that a session starts from a stale link */
  stale: number;
  /** share of search-engine visits that are deep crawls (hundreds of pages) */
  deepCrawl: number;
  /** a monitoring service's scripted login with a test account */
  synthetic: { everyMin: number; ips: string[] };
  attacks: AttackProfile;
}

/** Bounds of `attacks.duration`: how far back a stream must look for attacks under way. */
export const MAX_DURATION_SCALE = 1.3;

const CARRIER_NAMES = ['telco-a', 'telco-b', 'telco-c'];
const AGGREGATORS = [
  { name: 'parceltrack', ua: 'ParcelTrack-Sync/3.2 (+https://parceltrack.example/bot)' },
  { name: 'cashback-hub', ua: 'CashbackHub-Connector/2.0.4' },
  { name: 'expensely', ua: 'Expensely-Receipts/1.9 (okhttp/4.12.0)' },
];

const uniform = (r: Prng, lo: number, hi: number) => lo + r.next() * (hi - lo);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A carrier's NAT pool: neighbouring addresses of one range, as CGNAT pools are. */
function natPool(r: Prng, size: number): string[] {
  const base = residentialIp(r).split('.').slice(0, 3);
  const first = 1 + r.int(200);
  return Array.from({ length: size }, (_, i) => `${base.join('.')}.${first + i * (1 + r.int(3))}`);
}

export function drawProfile(seed: number): Profile {
  const r = rng(seed, 'profile');
  const users = 2500 + r.int(6501);
  const carriers = Array.from({ length: 1 + r.int(3) }, (_, i) => ({ name: CARRIER_NAMES[i], ips: natPool(r, 2 + r.int(5)) }));
  const vpnProviders = 1 + r.int(3);
  const vpnExits = Array.from({ length: vpnProviders }, () => {
    const base = hostingIp(r).split('.').slice(0, 3).join('.');
    return Array.from({ length: 4 + r.int(12) }, () => `${base}.${1 + r.int(254)}`);
  }).flat();
  const aggregators = AGGREGATORS.slice(0, 1 + r.int(2)).map((a) => {
    const everyMin = r.pick([15, 30, 60]);
    const base = hostingIp(r).split('.').slice(0, 3).join('.');
    return { ...a, ips: Array.from({ length: 1 + r.int(3) }, (_, i) => `${base}.${10 + i}`), everyMin, phaseMin: r.int(everyMin), linkedAt20: 80 + r.int(320) };
  });
  return {
    users,
    staff: 8 + r.int(23),
    personas: [['web', round2(uniform(r, 35, 55))], ['app', round2(uniform(r, 25, 45))], ['driver', round2(uniform(r, 10, 22))]],
    day: { trough: round2(uniform(r, 0.12, 0.3)), peakHour: 14 + r.int(6) },
    shares: { devicePosts: round2(uniform(r, 0.06, 0.12)), crawls: round2(uniform(r, 0.025, 0.05)), webhooks: round2(uniform(r, 0.02, 0.04)) },
    cgnat: { carriers, share: round2(uniform(r, 0.25, 0.6)) },
    vpn: { exits: vpnExits, share: round2(uniform(r, 0.02, 0.07)) },
    office: Array.from({ length: 1 + r.int(3) }, () => residentialIp(r)),
    aggregators,
    sellers: { count: 1 + r.int(3), perRunAt20: 2 + r.int(7), block: 60 + r.int(400) },
    polling: { tracking: round2(uniform(r, 0.03, 0.12)), vehicle: round2(uniform(r, 0.03, 0.15)) },
    typo: round2(uniform(r, 0.03, 0.1)),
    stale: round2(uniform(r, 0.02, 0.06)),
    deepCrawl: round2(uniform(r, 0.03, 0.12)),
    synthetic: { everyMin: r.pick([1, 5, 5, 10]), ips: Array.from({ length: 2 + r.int(3) }, () => hostingIp(r)) },
    attacks: { intensity: round2(uniform(r, 0.6, 1.6)), duration: round2(uniform(r, 0.75, MAX_DURATION_SCALE)), botnet: round2(uniform(r, 0.75, 1.5)) },
  };
}
