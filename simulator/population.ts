import { createHash } from 'node:crypto';
import type { Profile } from './profile';
import { hex, rng, uuid, zipf, type Prng } from './random';
import { vinOf } from './values';
import { BROWSER_UAS, DRIVE_APP_UAS, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, SHOP_APP_UAS } from './words';

/** How a user reaches the company: the web shop, the shop app, the vehicle app, or the staff back office. */
export type Persona = 'web' | 'app' | 'driver' | 'staff';
const PERSONAS: Persona[] = ['web', 'app', 'driver', 'staff'];

export interface User {
  index: number;
  /** the JWT subject */
  id: string;
  username: string;
  email: string;
  persona: Persona;
  homeIp: string;
  ua: string;
  /** vehicle index (drivers only) */
  vehicle: number | null;
  /** seconds added before the daily token rotation, so users do not all rotate at midnight */
  rotationOffsetS: number;
  /** index of the mobile carrier whose NAT the user's phone is behind (apps only), else null */
  carrier: number | null;
  /** browses through a privacy VPN (web only) */
  vpn: boolean;
}

const ISP_FIRST_OCTETS = [31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 176, 178, 188, 212, 213, 217];
const HOSTING_FIRST_OCTETS = [5, 45, 64, 103, 104, 138, 139, 142, 146, 159, 161, 165, 167, 170, 185, 193, 194, 198];

/** A residential (or mobile carrier) IPv4 address. */
export function residentialIp(r: Prng): string {
  return `${r.pick(ISP_FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}

/** A data-centre address: VPS, proxies, botnet controllers. */
export function hostingIp(r: Prng): string {
  return `${r.pick(HOSTING_FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}

function ipv6(r: Prng): string {
  return `2a02:${hex(r, 4)}:${hex(r, 4)}:${hex(r, 4)}::${hex(r, 1 + r.int(3)).replace(/^0+(?=.)/, '')}`;
}

/** The hashed bearer a proxy filter reports (`meshward.token_id`): never the token itself. */
export function tokenIdOf(bearer: string): string {
  return createHash('sha256').update(bearer).digest('hex').slice(0, 24);
}

/**
 * The people (and machines) that use the mesh: users with personas, homes, devices and daily
 * rotating tokens; vehicles with device tokens; service accounts for internal jobs.
 */
export class Population {
  readonly users: User[];
  private readonly byPersona = new Map<Persona, User[]>();
  private readonly pickers = new Map<Persona, (r: Prng) => number>();
  private readonly tokens = new Map<string, string>();
  private readonly hashed = new Map<string, string>();
  private vehicleList: number[] | null = null;

  constructor(private readonly seed: number, private readonly size: number, private readonly profile: Profile) {
    this.users = Array.from({ length: size }, (_, i) => this.makeUser(i));
    for (const persona of PERSONAS) {
      const list = this.users.filter((u) => u.persona === persona);
      this.byPersona.set(persona, list);
      // A few users are far more active than the rest.
      this.pickers.set(persona, zipf(list.length, 0.8));
    }
  }

  private makeUser(index: number): User {
    const r = rng(this.seed, 'user', index);
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    // Support staff first (at least 2, at most a tenth of a small population), then the customers.
    const staff = Math.max(2, Math.min(this.profile.staff, Math.floor(this.size / 10)));
    const persona: Persona = index < staff ? 'staff' : r.weighted(this.profile.personas);
    const digits = String(10 + r.int(9990));
    let username = `${first}${r.pick(['.', '_', ''])}${last}${digits}`;
    if (username.length < 10) username += r.int(10);
    return {
      index,
      id: uuid(r),
      username,
      email: `${first}.${last}${digits}@${r.pick(MAIL_DOMAINS)}`,
      persona,
      homeIp: r.chance(0.12) ? ipv6(r) : residentialIp(r),
      ua: persona === 'app' ? r.pick(SHOP_APP_UAS) : persona === 'driver' ? r.pick(DRIVE_APP_UAS) : r.pick(BROWSER_UAS),
      vehicle: persona === 'driver' ? index : null,
      rotationOffsetS: r.int(86_400),
      carrier: (persona === 'app' || persona === 'driver') && r.chance(this.profile.cgnat.share) ? r.int(this.profile.cgnat.carriers.length) : null,
      vpn: persona === 'web' && r.chance(this.profile.vpn.share),
    };
  }

  of(persona: Persona): User[] {
    return this.byPersona.get(persona)!;
  }

  /** A user of this persona, the active ones more often. */
  pick(persona: Persona, r: Prng): User {
    const list = this.of(persona);
    return list[(this.pickers.get(persona)!(r) * 7919) % list.length];
  }

  /** The user's bearer at `ts`, hashed: a new token every day. */
  tokenId(user: User, ts: number): string {
    const day = Math.floor((ts / 1000 + user.rotationOffsetS) / 86_400);
    const key = `${user.index}:${day}`;
    let id = this.tokens.get(key);
    if (!id) {
      if (this.tokens.size > 100_000) this.tokens.clear();
      id = tokenIdOf(`eyJ.${this.seed}.${user.id}.${day}`);
      this.tokens.set(key, id);
    }
    return id;
  }

  /** Vehicles that report telemetry: the drivers' cars. */
  vehicles(): number[] {
    return (this.vehicleList ??= this.of('driver').map((u) => u.vehicle!));
  }

  deviceToken(vehicle: number): string {
    return this.hash(`device.${this.seed}.${vinOf(vehicle)}`);
  }

  /** The hashed id of any bearer (a partner's delegated token, a seller's API key). */
  hash(bearer: string): string {
    let id = this.hashed.get(bearer);
    if (!id) {
      if (this.hashed.size > 100_000) this.hashed.clear();
      id = tokenIdOf(bearer);
      this.hashed.set(bearer, id);
    }
    return id;
  }

  /** The service-account token an internal job calls with. */
  serviceToken(service: string): { tokenId: string; user: string } {
    const [ns, name] = service.split('/');
    return { tokenId: this.hash(`sa.${this.seed}.${service}`), user: `system:serviceaccount:${ns}:${name}` };
  }
}
