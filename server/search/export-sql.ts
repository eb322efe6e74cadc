// The export's page as PostgreSQL renders it: the SELECT of a page of the result table with
// each row's line (or, for COPY, each cell) written in SQL. Used by export.ts and export-copy.ts.
import { sql, type SQL } from 'drizzle-orm';
import { rows as selectRows, type Db } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import type { Position } from './cursor';
import type { EventColumn, EventRecord } from './events';
import type { ExportFormat } from './export';

// ---------------------------------------------------------------------------------------------
// The page as PostgreSQL renders it. Most of an export's time went to Node: node-postgres made an
// object of every row, eventFields another, and the renderer wrote every value a value at a time
// (issue 11's bench: ~30–40k rows/s, PostgreSQL idle half the time). Here the SELECT writes the
// lines itself, with the formatter's rules spelt out in SQL: a row is one text column (one small
// object), not two objects of twenty fields, and Node only joins the lines.
//
// Byte for byte what csvRenderer / ndjsonRenderer write (export.db.test.ts compares them on
// hostile values, on both engines), because:
// - text: csvText's neutralising and quoting; JSON strings through to_json, which escapes as
//   JSON.stringify does (", \, \b \f \n \r \t, other controls as \u00xx; U+2028 left alone);
// - numbers: JavaScript's String(n). float8's text with extra_float_digits ≥ 1 is the shortest
//   that reads back, as V8's, and the same text from 1e-4 to 1e15; outside that PostgreSQL writes
//   an exponent where JavaScript may not (1e-05, 1e+16), which jsNumber rewrites. NaN and
//   ±Infinity are null in JSON, as JSON.stringify has them;
// - ts: to the millisecond, cut (not rounded) from the microseconds;
// - sensitive: counts per class and direction in the order first seen, as sensitiveCounts adds
//   them. A list it cannot add exactly in SQL (a count that is not a small whole number, a string,
//   a true; a list stored as a JSON string) makes the page "irregular": that page is read again
//   and rendered in Node. The detectors never write one.
// ---------------------------------------------------------------------------------------------

/** `String(n)` of a float8 written by PostgreSQL as `t` (extra_float_digits ≥ 1); null stays null. */
export function jsNumber(t: SQL): SQL {
  const m = sql`split_part(${t}, 'e', 1)`;
  const e = sql`split_part(${t}, 'e', 2)::int`;
  const sign = sql`case when left(${t}, 1) = '-' then '-' else '' end`;
  const digits = sql`replace(ltrim(${m}, '-'), '.', '')`;
  return sql`case when strpos(${t}, 'e') = 0 then (case when ${t} = '-0' then '0' else ${t} end)
    when ${e} >= 21 or ${e} <= -7 then ${m} || 'e' || (case when ${e} < 0 then '-' else '+' end) || abs(${e})::text
    when ${e} < 0 then ${sign} || '0.' || repeat('0', -${e} - 1) || ${digits}
    when length(${digits}) <= ${e} + 1 then ${sign} || ${digits} || repeat('0', ${e} + 1 - length(${digits}))
    else ${sign} || left(${digits}, ${e} + 1) || '.' || substr(${digits}, ${e} + 2) end`;
}

/** csvText of a text value; '' for null. LIKE, not a regular expression: it is several times faster. */
function csvTextSql(v: SQL): SQL {
  // = + - @ TAB CR
  const n = sql`case when ascii(${v}) in (61, 43, 45, 64, 9, 13) then '''' || ${v} else ${v} end`;
  return sql`case when ${v} is null then '' when ${v} like '%,%' or ${v} like '%"%' or ${v} like E'%\\n%' or ${v} like E'%\\r%'
    then '"' || replace(${n}, '"', '""') || '"' else ${n} end`;
}

const jsonText = (v: SQL): SQL => sql`coalesce(to_json(${v})::text, 'null')`;
const jsonNumber = (t: SQL): SQL => sql`case when ${t} is null or ${t} in ('NaN', 'Infinity', '-Infinity') then 'null' else ${jsNumber(t)} end`;

/**
 * The (class, direction, count) groups of the list `s`, first seen first, as sensitiveCounts
 * makes them, each rendered by `item` and joined by `sep`; null for none. A list of one (the
 * usual) without the subquery.
 */
function sensitiveSql(s: SQL, item: (c: SQL, d: SQL, n: SQL) => SQL, sep: string): SQL {
  const dir = (m: SQL) => sql`case when jsonb_typeof(${m} -> 'direction') = 'string' then ${m} ->> 'direction' else 'unknown' end`;
  const count = (m: SQL) => sql`case when jsonb_typeof(${m} -> 'count') = 'number' then (${m} ->> 'count')::numeric end`;
  const one = sql`(${s} -> 0)`;
  return sql`case when jsonb_array_length(${s}) = 1 and jsonb_typeof(${one}) = 'object' and jsonb_typeof(${one} -> 'class') = 'string'
    then ${item(sql`(${one} ->> 'class')`, dir(one), sql`coalesce(${count(one)}, 0)::bigint::text`)}
    else (select string_agg(${item(sql`g.c`, sql`g.d`, sql`g.n`)}, ${sql.raw(`'${sep}'`)} order by g.o) from (
      select x.m ->> 'class' as c, ${dir(sql`x.m`)} as d, coalesce(sum(${count(sql`x.m`)}), 0)::bigint::text as n, min(x.o) as o
      from jsonb_array_elements(${s}) with ordinality as x(m, o)
      where jsonb_typeof(x.m) = 'object' and jsonb_typeof(x.m -> 'class') = 'string'
      group by 1, 2) g) end`;
}

/** Whether sensitiveCounts reads the `sensitive` `s` differently from sensitiveSql (the subquery only runs for a list). */
function irregularSql(s: SQL): SQL {
  return sql`case jsonb_typeof(${s}) when 'string' then true when 'array' then exists (
    select 1 from jsonb_array_elements(${s}) as x(m)
    where jsonb_typeof(x.m) = 'object' and jsonb_typeof(x.m -> 'class') = 'string'
      and coalesce(jsonb_typeof(x.m -> 'count'), 'null') <> 'null'
      and not (jsonb_typeof(x.m -> 'count') = 'number' and (x.m ->> 'count')::numeric = trunc((x.m ->> 'count')::numeric)
        and abs((x.m ->> 'count')::numeric) < 1000000000)) else false end`;
}

/** The text columns, by the name the page's inner SELECT gives them. */
export const TEXTS: Partial<Record<EventColumn, string>> = {
  service: 'dst_service', caller: 'src_service', method: 'method', path: 'path', endpoint: 'route', clientAddress: 'client_ip',
  userAgent: 'user_agent', token: 'token_id', user: 'user_id', proxy: 'proxy_id', cluster: 'cluster', namespace: 'namespace', requestId: 'request_id',
};
/** float8 text, by the name the inner SELECT gives it */
export const FLOATS: Partial<Record<EventColumn, string>> = { durationMs: 'duration_ms', bytesIn: 'bytes_in', bytesOut: 'bytes_out' };

/** One cell over the inner SELECT's columns (`e.…`; `e.sens`: sensitive, rendered once there). */
function cellSql(format: ExportFormat, c: EventColumn): SQL {
  const text = TEXTS[c];
  if (text) return format === 'csv' ? csvTextSql(sql.raw(`e.${text}`)) : jsonText(sql.raw(`e.${text}`));
  const float = FLOATS[c];
  if (float) return format === 'csv' ? sql`coalesce(${jsNumber(sql.raw(`e.${float}`))}, '')` : jsonNumber(sql.raw(`e.${float}`));
  if (c === 'status') return sql`e.status`;
  if (c === 'ts') return format === 'csv' ? sql`e.tsm` : sql`'"' || e.tsm || '"'`;
  return format === 'csv' ? csvTextSql(sql`e.sens`) : sql`e.sens`;
}

/** The inner SELECT's `sens`: sensitive as its cell, computed once a row (the CSV cell reads it four times). */
function sensSql(format: ExportFormat): SQL {
  const s = sql`${ae.sensitive}`;
  if (format === 'csv') {
    return sql`case when jsonb_typeof(${s}) = 'array' then ${sensitiveSql(s, (c, d, n) => sql`${c} || ':' || ${d} || ':' || ${n}`, ';')} end`;
  }
  const item = (c: SQL, d: SQL, n: SQL) => sql`'{"class":' || to_json(${c})::text || ',"direction":' || to_json(${d})::text || ',"count":' || ${n} || '}'`;
  return sql`case when jsonb_typeof(${s}) = 'array' then '[' || coalesce(${sensitiveSql(s, item, ',')}, '') || ']' else '[]' end`;
}

/** One line (with its line end) of `columns` in `format`, as one concat(): `||` would copy the line once a cell. */
export function lineSql(format: ExportFormat, columns: readonly EventColumn[]): SQL {
  const parts: SQL[] = [];
  columns.forEach((c, i) => {
    if (format === 'csv') {
      if (i > 0) parts.push(sql`','`);
    } else {
      // the key as JSON.stringify writes it: the column names are plain identifiers
      parts.push(sql.raw(`'${i === 0 ? '{' : ','}"${c}":'`));
    }
    parts.push(cellSql(format, c));
  });
  parts.push(format === 'csv' ? sql`E'\\r\\n'` : sql`E'}\\n'`);
  return sql`concat(${sql.join(parts, sql`, `)})`;
}

interface PageCommon {
  /** rows read, `pageSize + 1` when there are more */
  found: number;
  /** where the next page starts, when there are more */
  last: Position | null;
}
/** the page's lines, in order (`pageSize` rows at most) */
type RenderedPage = PageCommon & { text: string };
/** its lines as UTF-8 (COPY's, export-copy.ts) */
type BytesPage = PageCommon & { bytes: Uint8Array };
/** A page rendered in SQL (as text or bytes), or its records (`pageSize` at most) for Node to render. */
export type PageRead = RenderedPage | BytesPage | (PageCommon & { records: EventRecord[] });

/** eventFields' ts: the first 23 characters of the microseconds (MS is the same cut, for 4-digit years AD) */
function tsMillisSql(): SQL {
  const utc = sql`${ae.ts} at time zone 'UTC'`;
  return sql`case when ${ae.ts} >= '0001-01-01Z' and ${ae.ts} < '10000-01-01Z' then to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    else left(to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 23) || 'Z' end`;
}

/**
 * The inner SELECT's columns of a page, as the cells read them: the keyset (ots, oid), text as
 * JavaScript writes it (tsm, numbers), sens rendered once, and whether sensitive is irregular.
 */
export function pageColumnsSql(format: ExportFormat): SQL {
  return sql`${ae.ts} as ots, ${ae.id} as oid, ${tsMillisSql()} as tsm,
    proxy_id, request_id, dst_service, src_service, method, path, route, status::int::text as status, duration_ms::text as duration_ms,
    bytes_in::float8::text as bytes_in, bytes_out::float8::text as bytes_out, host(client_ip) as client_ip, user_agent, token_id, user_id,
    cluster, namespace, ${sensSql(format)} as sens, ${irregularSql(sql`${ae.sensitive}`)} as irregular`;
}

/**
 * readEventPage's SELECT (its WHERE, ORDER BY and keyset, one row more to know whether there are
 * more), a line per row in order, with the keyset of row `pageSize` on that row.
 */
export function renderedPageSql(format: ExportFormat, scope: SQL, after: Position | null, pageSize: number, line: SQL): SQL {
  const keyset = after ? sql` and (${ae.ts}, ${ae.id}) < (${after.ts}::timestamptz, ${after.id}::bigint)` : sql``;
  return sql`
    select p.line, case when p.rn = ${pageSize} then to_char(p.ots at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as last_ts,
      case when p.rn = ${pageSize} then p.oid::text end as last_id, p.irregular
    from (
      select ${line} as line, e.ots, e.oid, e.irregular, row_number() over (order by e.ots desc, e.oid desc) as rn
      from (
        select ${pageColumnsSql(format)}
        from ${ae} where ${scope}${keyset}
        order by ${ae.ts} desc, ${ae.id} desc limit ${pageSize + 1}
      ) e
    ) p
    order by p.rn`;
}

/** Up to `pageSize` events of a page (renderedPageSql) as one string. Run it under boundedRead. */
export async function readRenderedPage(tx: Db, query: SQL, pageSize: number): Promise<RenderedPage & { irregular: boolean }> {
  // float8 as the shortest text that reads back (the default; a server may be set otherwise)
  await tx.execute(sql`set local extra_float_digits = 1`);
  const found = await selectRows<{ line: string; last_ts: string | null; last_id: string | null; irregular: boolean | null }>(tx, query);
  let text = '';
  let last: Position | null = null;
  let irregular = false;
  const n = Math.min(found.length, pageSize);
  for (let i = 0; i < n; i++) {
    const r = found[i];
    text += r.line;
    if (r.irregular) irregular = true;
    if (r.last_ts !== null && r.last_id !== null) last = { ts: r.last_ts, id: r.last_id };
  }
  return { text, found: found.length, last, irregular: irregular || Boolean(found[n]?.irregular) };
}
