// The bank's customers, tellers and the hashed bearer ids they carry.
import { createHash } from 'node:crypto';
import type { HeldoutConfig } from './config';
import { homeAddress } from './network';
import { rand, type Rand } from './rand';

const FIRST = ['james', 'maria', 'robert', 'linda', 'michael', 'patricia', 'david', 'jennifer', 'william', 'elizabeth', 'carlos', 'aisha', 'wei', 'priya', 'tyrone', 'keisha', 'diego', 'hannah', 'ethan', 'olivia', 'noah', 'ava', 'mason', 'sofia', 'lucas', 'chloe', 'darnell', 'mei', 'omar', 'grace'];
const LAST = ['johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'lee', 'nguyen', 'patel', 'kim', 'clark', 'lewis', 'walker', 'young', 'allen', 'wright'];
const MAIL = ['gmail.example', 'yahoo.example', 'outlook.example', 'icloud.example', 'aol.example', 'comcast.example'];
const MIXED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const IOS = ['LumenBank/24.18.1 (iPhone; iOS 17.5.1; Scale/3.00) Alamofire/5.9.1', 'LumenBank/24.18.1 (iPhone; iOS 17.4.1; Scale/3.00) Alamofire/5.9.1', 'LumenBank/24.16.0 (iPhone; iOS 16.7.8; Scale/2.00) Alamofire/5.8.1', 'LumenBank/24.18.1 (iPad; iPadOS 17.5; Scale/2.00) Alamofire/5.9.1'];
const ANDROID = ['LumenBank/24.18.0 (Android 14; Pixel 8) okhttp/4.12.0', 'LumenBank/24.18.0 (Android 14; SM-S928U) okhttp/4.12.0', 'LumenBank/24.17.2 (Android 13; moto g stylus 5G) okhttp/4.11.0', 'LumenBank/24.15.1 (Android 12; SM-A136U) okhttp/4.10.0'];
export const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.97',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
];

export interface Customer {
  index: number;
  id: string;
  login: string;
  email: string;
  mobile: boolean;
  /** the app's User-Agent (mobile customers) or the browser's */
  ua: string;
  home: string;
  /** how the phone reaches the internet: a carrier's NAT pool, its own IPv4, or IPv6 */
  phone: { nat: number } | { ip: string };
  /** browses from work, behind the employer's secure web gateway (cloud exits) */
  vpn: boolean;
  accounts: string[];
  cards: string[];
  payees: string[];
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export class People {
  readonly customers: Customer[];
  private readonly cumulative: Float64Array;

  constructor(private readonly seed: number, private readonly config: HeldoutConfig, count: number) {
    this.customers = Array.from({ length: count }, (_, i) => this.make(i));
    // A Pareto-like spread of activity: a few customers open the app many times a day.
    this.cumulative = new Float64Array(count);
    let acc = 0;
    for (let i = 0; i < count; i++) this.cumulative[i] = acc += 1 / Math.pow(1 + rand(seed, 'activity', i).float() * 40, 1.2);
  }

  private make(i: number): Customer {
    const r = rand(this.seed, 'customer', i);
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const n = r.int(1, 99);
    const mobile = r.coin(this.config.mobileShare);
    const ios = r.coin(this.config.iosShare);
    let phone: Customer['phone'] = { ip: '' };
    if (r.coin(this.config.v4Share)) {
      phone = r.coin(this.config.natShare) ? { nat: r.below(this.config.carriers.length) } : { ip: homeAddress(r).replace(/:.*/, '') };
    } else phone = { ip: `2607:fb90:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}` };
    return {
      index: i,
      id: `cus_${r.chars(14, MIXED)}`,
      login: `${first[0]}${last}${n}`,
      email: `${first}.${last}${n}@${r.pick(MAIL)}`,
      mobile,
      ua: mobile ? (ios ? r.pick(IOS) : r.pick(ANDROID)) : r.pick(BROWSERS),
      home: homeAddress(r),
      phone,
      vpn: !mobile && r.coin(this.config.vpn.share),
      accounts: Array.from({ length: r.int(1, 4) }, () => r.uuid()),
      cards: Array.from({ length: r.int(0, 3) }, () => `card_${r.hex(8)}`),
      payees: Array.from({ length: r.int(0, 8) }, () => `pye_${r.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`),
    };
  }

  /** A customer, the active ones far more often. */
  pick(r: Rand): Customer {
    const c = this.cumulative;
    const x = r.float() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return this.customers[lo];
  }

  /** The hashed id of a bearer: `kind` says whose (an app session, a consent, a teller's SSO session). */
  bearer(kind: string, ...parts: (string | number)[]): string {
    return hash(`lumen.${this.seed}.${kind}.${parts.join('.')}`);
  }
}

/** Bank staff: tellers at branches, their SSO subject. */
export function tellerId(seed: number, branch: number, k: number): string {
  return `corp\\t${String(digitsOf(seed, branch, k)).padStart(6, '0')}`;
}

function digitsOf(seed: number, branch: number, k: number): number {
  return rand(seed, 'teller', branch, k).int(100000, 999999);
}
