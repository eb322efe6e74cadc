import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { compile, compileQuery } from './compile';
import { FIELD_NAMES, searchFields } from './fields';
import { parse } from './parser';

const dialect = new PgDialect();
/** SQL text with the table prefix dropped (it is the same everywhere), and its parameters. */
function q(text: string): { sql: string; params: unknown[] } {
  const r = dialect.sqlToQuery(compileQuery(text));
  return { sql: r.sql.replaceAll('"access_events".', '').replaceAll('"detection_actors".', ''), params: r.params };
}
const ACTORS = 'mw_event_actors("src_service", "token_id", "user_id", "client_ip")';

describe('compile', () => {
  it('compiles the empty query to true', () => {
    expect(q('')).toEqual({ sql: 'true', params: [] });
    expect(dialect.sqlToQuery(compile({ root: null })).sql).toBe('true');
  });

  it('matches text fields exactly, through the actor index where there is one', () => {
    expect(q('service:shop/orders')).toEqual({ sql: '"dst_service" = $1::text', params: ['shop/orders'] });
    expect(q('endpoint:/accounts/{id}')).toEqual({ sql: '"route" = $1::text', params: ['/accounts/{id}'] });
    expect(q('token:tok_1')).toEqual({ sql: `${ACTORS} @> array[$1::text]`, params: ['t:tok_1'] });
    expect(q('user:alice')).toEqual({ sql: `${ACTORS} @> array[$1::text]`, params: ['u:alice'] });
    expect(q('caller:external')).toEqual({ sql: `${ACTORS} @> array[$1::text]`, params: ['s:external'] });
  });

  it('turns wildcards into LIKE patterns with the user\'s own %, _ and \\ escaped', () => {
    expect(q('path:/api/*/orders')).toEqual({ sql: `"path" like $1 escape '\\'`, params: ['/api/%/orders'] });
    expect(q('path:/a_b%c\\\\d?*')).toEqual({ sql: `"path" like $1 escape '\\'`, params: ['/a\\_b\\%c\\\\d_%'] });
    expect(q('token:tok_*')).toEqual({ sql: `"token_id" like $1 escape '\\'`, params: ['tok\\_%'] });
  });

  it('matches user agents case-insensitively and methods in upper case', () => {
    expect(q('user_agent:curl/8_1')).toEqual({ sql: `"user_agent" ilike $1 escape '\\'`, params: ['curl/8\\_1'] });
    expect(q('method:get')).toEqual({ sql: 'upper("method") = $1::text', params: ['GET'] });
    expect(q('method:p*')).toEqual({ sql: `upper("method") like $1 escape '\\'`, params: ['P%'] });
  });

  it('searches free text in path and user agent as an escaped substring', () => {
    expect(q('50%_off')).toEqual({
      sql: `("path" ilike $1 escape '\\' or "user_agent" ilike $2 escape '\\')`,
      params: ['%50\\%\\_off%', '%50\\%\\_off%'],
    });
    expect(q('a*b').params[0]).toBe('%a%b%');
  });

  it('compares numbers with typed parameters', () => {
    expect(q('status:404')).toEqual({ sql: '"status" = $1::int', params: [404] });
    expect(q('status:4xx')).toEqual({ sql: '("status" >= $1::int and "status" <= $2::int)', params: [400, 499] });
    expect(q('status>499')).toEqual({ sql: '"status" > $1::int', params: [499] });
    expect(q('bytes_out:[1kb TO *]')).toEqual({ sql: '"bytes_out" >= $1::bigint', params: [1000] });
    expect(q('duration<1.5s')).toEqual({ sql: '"duration_ms" < $1::float8', params: [1500] });
    expect(q('bytes_in<=10')).toEqual({ sql: '"bytes_in" <= $1::bigint', params: [10] });
  });

  it('matches addresses exactly, by CIDR containment and by range', () => {
    expect(q('client.address:10.0.0.1')).toEqual({ sql: `${ACTORS} @> array['i:' || host($1::inet)]`, params: ['10.0.0.1'] });
    expect(q('client.address:10.2.0.0/16')).toEqual({ sql: '"client_ip" <<= $1::inet', params: ['10.2.0.0/16'] });
    expect(q('client.address:[::1 TO ::9]')).toEqual({ sql: '"client_ip" between $1::inet and $2::inet', params: ['::1', '::9'] });
  });

  it('matches a sensitive-data class inside the jsonb list', () => {
    expect(q('class:credit_card')).toEqual({
      sql: `"sensitive" @> jsonb_build_array(jsonb_build_object('class', $1::text))`,
      params: ['credit_card'],
    });
  });

  it('finds the events of a detection\'s actors with the id as a parameter', () => {
    const { sql, params } = q('detection:det_1');
    expect(params).toEqual(['det_1', 'det_1']);
    expect(sql).toContain(`${ACTORS} && array(select`);
    expect(sql).toContain('"client_ip" <<= any(array(select "actor_id"::inet');
  });

  it('joins with and/or, and negates with "is not true" so unknown values count as no match', () => {
    expect(q('a OR NOT status:500 b').sql).toBe(
      `(("path" ilike $1 escape '\\' or "user_agent" ilike $2 escape '\\') or ((("status" = $3::int) is not true) and ("path" ilike $4 escape '\\' or "user_agent" ilike $5 escape '\\')))`,
    );
    expect(q('-cluster:eu-1')).toEqual({ sql: '(("cluster" = $1::text) is not true)', params: ['eu-1'] });
  });

  it('puts SQL metacharacters in parameters only', () => {
    const { sql, params } = q(`path:"'; drop table access_events; --" "$1" user:\\'x`);
    expect(sql).not.toMatch(/drop|;|--|'x/);
    expect(params).toEqual(["'; drop table access_events; --", '%$1%', '%$1%', "u:'x"]);
  });

  it('compiles what parse returns, unchanged', () => {
    const ast = parse('service:a status:5xx');
    expect(dialect.sqlToQuery(compile(ast))).toEqual(dialect.sqlToQuery(compileQuery('service:a status:5xx')));
  });
});

describe('searchFields', () => {
  it('lists every field with its type, description and example, each example parsing', () => {
    const fields = searchFields();
    expect(fields.map((f) => f.name)).toEqual([...FIELD_NAMES]);
    for (const f of fields) {
      expect(f.description.length).toBeGreaterThan(5);
      expect(() => parse(f.example), f.example).not.toThrow();
    }
    expect(fields.find((f) => f.name === 'status')).toMatchObject({ type: 'status', aliases: ['http.response.status_code'] });
  });
});
