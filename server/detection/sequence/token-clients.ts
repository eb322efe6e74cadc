// One token, several clients at once: a bearer token belongs to one client (a browser, an app
// install), so requests with it from another kind of client, or switching back and forth between
// two clients within minutes, mean it was copied. A single change (an app update, a move from
// Wi-Fi to the mobile network) is not; address changes alone are weak (carriers move clients).

/** two uses this close together count as "at once" */
export const OVERLAP_MS = 10 * 60_000;

export interface ClientUse {
  ua: string;
  kind: string;
  group: string;
  first: number;
  last: number;
  requests: number;
  example: string;
}

export interface TokenEvidence {
  /** switches between different User-Agents within OVERLAP_MS */
  uaSwitches: number;
  /** …of which between different kinds of client (a browser and a script) */
  kindSwitches: number;
  /** switches between address groups under one User-Agent within OVERLAP_MS */
  groupSwitches: number;
  clients: ClientUse[];
  start: number;
  end: number;
  /** the service the last switch was aimed at */
  service: number;
}

const MAX_CLIENTS = 6;

export class TokenClients {
  private clients: ClientUse[] = [];
  private prev: ClientUse | null = null;
  private prevTs = 0;
  uaSwitches = 0;
  kindSwitches = 0;
  groupSwitches = 0;
  firstSwitch = 0;
  lastSwitch = 0;
  lastUse = 0;
  private service = -1;

  private lastIp = '';
  private lastGroup = '';

  /** `group`: the address group of `ip`, asked for only when the address changed */
  use(ua: string, kind: string, ip: string, ts: number, requestId: string, service: number, group: (ip: string) => string = (x) => x): void {
    if (ip !== this.lastIp) {
      this.lastIp = ip;
      this.lastGroup = group(ip);
    }
    const g = this.lastGroup;
    let c = this.clients.find((x) => x.ua === ua && x.group === g);
    if (!c) {
      if (this.clients.length >= MAX_CLIENTS) {
        let oldest = 0;
        for (let i = 1; i < this.clients.length; i++) if (this.clients[i].last < this.clients[oldest].last) oldest = i;
        this.clients.splice(oldest, 1);
      }
      c = { ua, kind, group: g, first: ts, last: ts, requests: 0, example: requestId };
      this.clients.push(c);
    }
    const p = this.prev;
    if (p && p !== c && ts - this.prevTs <= OVERLAP_MS) {
      let switched = false;
      if (p.ua !== ua) {
        this.uaSwitches += 1;
        if (p.kind !== kind) this.kindSwitches += 1;
        switched = true;
      } else if (p.group !== g) {
        this.groupSwitches += 1;
        switched = true;
      }
      if (switched) {
        if (!this.firstSwitch) this.firstSwitch = this.prevTs;
        this.lastSwitch = ts;
        this.service = service;
      }
    }
    c.last = ts;
    c.requests += 1;
    this.lastUse = ts;
    this.prev = c;
    this.prevTs = ts;
  }

  evidence(): TokenEvidence | null {
    if (!this.uaSwitches && !this.groupSwitches) return null;
    return {
      uaSwitches: this.uaSwitches, kindSwitches: this.kindSwitches, groupSwitches: this.groupSwitches,
      clients: this.clients.filter((c) => c.last >= this.firstSwitch - OVERLAP_MS), start: this.firstSwitch, end: this.lastSwitch,
      service: this.service,
    };
  }
}

/**
 * Strength before the population's base rate: another kind of client is strong at once; two
 * User-Agents of one kind need to alternate (an update switches once); address groups alone
 * stay weak.
 */
export function tokenStrength(e: TokenEvidence): number {
  if (e.kindSwitches > 0) return Math.min(0.9, 0.6 + 0.1 * (e.uaSwitches - 1));
  if (e.uaSwitches > 0) return Math.min(0.6, 0.2 + 0.1 * (e.uaSwitches - 1));
  return Math.min(0.3, 0.08 + 0.04 * (e.groupSwitches - 1));
}
