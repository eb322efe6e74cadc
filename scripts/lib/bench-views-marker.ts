// What the bench:views database holds: one row saying which history was populated, so the
// next run can reuse it (populating takes minutes, measuring seconds).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';

export interface History {
  hours: number;
  rate: number;
  seed: number;
}

export interface Populated extends History {
  /** the end of the simulated history: the clock the views are measured with */
  endsAt: Date;
  events: number;
  populateMs: number;
}

// The bench's own table, outside the app's migrations: it only exists in the bench database.
const CREATE = sql`create table if not exists bench_views_population (
  id smallint primary key default 1 check (id = 1),
  hours int not null, rate double precision not null, seed int not null,
  ends_at timestamptz not null, events bigint not null, populate_ms int not null,
  populated_at timestamptz not null default now())`;

export async function readMarker(db: Db): Promise<Populated | null> {
  await db.execute(CREATE);
  const [r] = await rows<Record<string, unknown>>(db, sql`select * from bench_views_population`);
  if (!r) return null;
  return {
    hours: Number(r.hours), rate: Number(r.rate), seed: Number(r.seed),
    endsAt: new Date(r.ends_at as string), events: Number(r.events), populateMs: Number(r.populate_ms),
  };
}

export const sameHistory = (a: History, b: History) => a.hours === b.hours && a.rate === b.rate && a.seed === b.seed;

/** Dropped before populating starts, so an interrupted populate is never taken for a complete one. */
export async function clearMarker(db: Db): Promise<void> {
  await db.execute(sql`delete from bench_views_population`);
}

export async function writeMarker(db: Db, p: Populated): Promise<void> {
  await db.execute(sql`insert into bench_views_population (hours, rate, seed, ends_at, events, populate_ms)
    values (${p.hours}, ${p.rate}, ${p.seed}, ${p.endsAt.toISOString()}::timestamptz, ${p.events}, ${p.populateMs})`);
}
