// The bulk statements that store bench:views' generated minute rows: one
// jsonb_to_recordset statement per batch, no ORM builder.
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { DERIVED_HOUR_TABLES, proxyMinuteStats, ROLLUP_PAIRS } from '@/db/schema';

/** The tables generated rows go to, with the column that holds the minute. */
const TARGETS: { table: PgTable; minuteColumn: string }[] = [
  ...ROLLUP_PAIRS.map(([minute]) => ({ table: minute as PgTable, minuteColumn: 'bucket' })),
  { table: proxyMinuteStats, minuteColumn: 'minute' },
];

/**
 * `insert … select` from a JSON array of rows whose `m` is the minute within `hour`: the
 * minute is computed in SQL so each row carries a small number instead of a timestamp.
 */
function statementFor(table: PgTable, minuteColumn: string): (json: string, hour: Date) => SQL {
  const columns = Object.values(getTableColumns(table));
  const names = columns.map((c) => c.name);
  const record = ['m int', ...columns.filter((c) => c.name !== minuteColumn).map((c) => `${c.name} ${c.getSQLType()}`)].join(', ');
  const name = getTableName(table);
  return (json, hour) => {
    const select = names.map((n) => (n === minuteColumn ? sql`${hour.toISOString()}::timestamptz + x.m * interval '1 minute'` : sql.raw(`x.${n}`)));
    return sql`insert into ${sql.raw(name)} (${sql.raw(names.join(', '))})
      select ${sql.join(select, sql`, `)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(record)})`;
  };
}

const STATEMENTS = new Map(TARGETS.map((t) => [getTableName(t.table), statementFor(t.table, t.minuteColumn)]));

/** Inserts one batch of generated rows into `table`; the rows are new (the tables were emptied). */
export async function insertBatch(db: Db, table: string, json: string, hour: Date): Promise<void> {
  const statement = STATEMENTS.get(table);
  if (!statement) throw new Error(`bench:views generates no rows for ${table}`);
  await db.execute(statement(json, hour));
}

/** Every table populating writes, hour rollups included, for emptying before a fresh populate. */
export const POPULATED_TABLES = [
  ...ROLLUP_PAIRS.flatMap((pair) => pair.map((t) => getTableName(t as PgTable))),
  ...DERIVED_HOUR_TABLES.map((t) => getTableName(t)),
  'proxy_minute_stats', 'proxies', 'proxy_tokens', 'rollup_compaction', 'rollup_dirty_hours',
];
