// Everything a held-out run reads: the seed's configuration, the mesh, the people, the event loop
// and where events go. Agents act through `call` and `probe` at the loop's current time.
import { drawConfig, type HeldoutConfig } from './config';
import { Engine } from './engine';
import { execute, probe, type Ask, type Ev, type ExecEnv, type Pressure, type Who } from './exec';
import { buildMesh, type Mesh, type Pod } from './mesh';
import { People } from './people';
import type { Rand } from './rand';

export const GENERATOR = 'meshward-heldout/1';

export interface HeldoutOptions {
  seed: number;
  /** average events/s of customers, visitors and bots over a weekday (partners, staff, monitors and jobs come on top) */
  rate: number;
  /** start of the window, epoch ms */
  start: number;
  hours: number;
  /** attack scenarios to run (default all) */
  scenarios?: readonly string[];
}

interface Squeeze {
  service: string;
  from: number;
  to: number;
  at(ts: number): Pressure;
}

const CALM: Pressure = { slow: 1, shed: 0 };

export class BankWorld implements ExecEnv {
  readonly config: HeldoutConfig;
  readonly mesh: Mesh;
  readonly people: People;
  readonly engine: Engine;
  private readonly squeezes: Squeeze[] = [];

  constructor(readonly options: HeldoutOptions, readonly emit: (ev: Ev) => void) {
    if (!(options.rate > 0)) throw new Error('the rate must be a positive number of events per second');
    this.config = drawConfig(options.seed);
    this.mesh = buildMesh(options.seed);
    // a smaller bank at low rates: the same customers would otherwise each visit rarely
    const customers = Math.max(300, Math.round(this.config.customers * Math.min(1, options.rate / 15)));
    this.people = new People(options.seed, this.config, customers);
    this.engine = new Engine(options.start);
  }

  get now(): number {
    return this.engine.now;
  }

  get seed(): number {
    return this.options.seed;
  }

  /** How much of the day's normal load is expected at the rate asked for (1 at 15 events/s). */
  get scale(): number {
    return this.options.rate / 15;
  }

  call(who: Who, ask: Ask, r: Rand, from: Pod | null = null) {
    return execute(this, this.now, who, ask, r, from);
  }

  probe(who: Who, service: string, method: string, path: string, status: number, r: Rand) {
    probe(this, this.now, who, service, method, path, status, r);
  }

  /** An attack loads `service` from `from` to `to` as `at` says. */
  squeeze(service: string, from: number, to: number, at: (ts: number) => Pressure) {
    this.squeezes.push({ service, from, to, at });
  }

  pressure(service: string, at: number): Pressure {
    for (const s of this.squeezes) if (s.service === service && at >= s.from && at < s.to) return s.at(at);
    return CALM;
  }
}
