// What differs between held-out seeds: the size and mix of the customer base, the local time
// zone and day shape, how large each benign cohort is and how hard the attacks push.
import { carrierPool, vpnExits, homeAddress } from './network';
import { rand } from './rand';

export interface Partner {
  name: string;
  ua: string;
  ips: string[];
  /** hours between two refreshes of every consent */
  everyH: number;
  /** consents at 15 events/s (scales with the rate) */
  consentsAt15: number;
}

export interface HeldoutConfig {
  customers: number;
  /** of customers: mainly on the phone app (the rest on the web) */
  mobileShare: number;
  iosShare: number;
  /** UTC offset of the bank's customers, hours (-4 summer, -5 winter Eastern) */
  utcOffsetH: number;
  /** local hours of the three daily peaks, and how deep the night is */
  peaks: [number, number, number];
  night: number;
  weekend: number;
  carriers: string[][];
  /** of IPv4 mobile customers: behind a carrier's NAT */
  natShare: number;
  /** of mobile customers: on IPv4 (the rest have their own IPv6 address) */
  v4Share: number;
  vpn: { exits: string[]; share: number };
  branches: { ip: string; tellers: number }[];
  partners: Partner[];
  /** of app sessions: left open on the dashboard, refreshing */
  dashboardPolling: number;
  typo: number;
  stale: number;
  /** pushes a day that bring a crowd back at once (salary in, a statement ready) */
  pushesPerDay: number;
  pushReach: number;
  attacks: { intensity: number; duration: number; botnet: number };
}

const PARTNERS = [
  { name: 'finlink', ua: 'Finlink-FDX-Client/3.4 (+https://finlink.example/bank-connect)' },
  { name: 'moneygrid', ua: 'MoneyGrid/2024.6 aggregator (okhttp)' },
  { name: 'ledgerly', ua: 'Ledgerly Sync Agent/7.1' },
];

export function drawConfig(seed: number): HeldoutConfig {
  const r = rand(seed, 'held-out config');
  const partners = r.shuffle(PARTNERS.slice()).slice(0, r.int(2, 3)).map((p) => {
    const base = vpnExits(r, 1)[0].split('.').slice(0, 3).join('.');
    return { ...p, ips: Array.from({ length: r.int(3, 8) }, (_, i) => `${base}.${20 + 2 * i}`), everyH: r.pick([4, 6, 6, 8]), consentsAt15: r.int(150, 700) };
  });
  return {
    customers: r.int(3000, 12000),
    mobileShare: r.range(0.55, 0.75),
    iosShare: r.range(0.4, 0.6),
    utcOffsetH: r.pick([-4, -5]),
    peaks: [r.range(7.5, 9), r.range(11.8, 13.2), r.range(19, 21)],
    night: r.range(0.06, 0.16),
    weekend: r.range(0.65, 0.9),
    carriers: Array.from({ length: r.int(2, 4) }, () => carrierPool(r, r.int(3, 10))),
    natShare: r.range(0.5, 0.9),
    v4Share: r.range(0.35, 0.7),
    vpn: { exits: vpnExits(r, r.int(6, 30)), share: r.range(0.03, 0.1) },
    branches: Array.from({ length: r.int(8, 22) }, () => ({ ip: homeAddress(r).includes(':') ? vpnExits(r, 1)[0] : homeAddress(r), tellers: r.int(2, 5) })),
    partners,
    dashboardPolling: r.range(0.02, 0.08),
    typo: r.range(0.04, 0.12),
    stale: r.range(0.015, 0.05),
    pushesPerDay: r.int(1, 3),
    pushReach: r.range(0.05, 0.15),
    attacks: { intensity: r.range(0.5, 1.8), duration: r.range(0.7, 1.4), botnet: r.range(0.6, 1.6) },
  };
}

/** Customers' activity at `ts` relative to the day's mean: three local peaks, a quiet night, calmer weekends. */
export function activity(c: HeldoutConfig, ts: number): number {
  const local = ts + c.utcOffsetH * 3_600_000;
  const hour = ((local / 3_600_000) % 24 + 24) % 24;
  const day = new Date(local).getUTCDay();
  const bump = (centre: number, width: number, height: number) => {
    const d = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
    return height * Math.exp(-(d * d) / (2 * width * width));
  };
  const shape = c.night + bump(c.peaks[0], 1.3, 0.75) + bump(c.peaks[1], 1.6, 0.85) + bump(c.peaks[2], 2.2, 1);
  return (shape / dailyMean(c)) * (day === 0 || day === 6 ? c.weekend : 1);
}

const means = new WeakMap<HeldoutConfig, number>();
function dailyMean(c: HeldoutConfig): number {
  let m = means.get(c);
  if (m === undefined) {
    let sum = 0;
    for (let i = 0; i < 288; i++) {
      const hour = i / 12;
      let s = c.night;
      for (const [centre, width, height] of [[c.peaks[0], 1.3, 0.75], [c.peaks[1], 1.6, 0.85], [c.peaks[2], 2.2, 1]]) {
        const d = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
        s += height * Math.exp(-(d * d) / (2 * width * width));
      }
      sum += s;
    }
    means.set(c, (m = sum / 288));
  }
  return m;
}
