import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxyTokens } from '@/db/schema';
import { createCallerFactory, createRouter, viewerProcedure } from '@/server/trpc';
import { hashProxyToken } from '@/server/fleet/tokens';
import { createLogger, log } from '@/server/log';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { describeError, isDatabaseError, statementName, summarizeError } from './error-summary';

/** A logger like the console's, writing its lines here. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(stream, 'info'), text: () => lines.join('') };
}

const SECRET_HASH = hashProxyToken('mwp_the-secret-token-whose-hash-must-not-be-logged');

describeEachEngine('a failed query in the log', (h) => {
  afterEach(() => vi.restoreAllMocks());

  async function failedInsert(): Promise<unknown> {
    const row = { id: 'pt_dup', name: 'dup', prefix: 'mwp_xx', tokenHash: SECRET_HASH, services: ['*'] };
    await h.db.insert(proxyTokens).values(row);
    return h.db.insert(proxyTokens).values({ ...row, id: 'pt_dup2' }).then(() => null, (e: unknown) => e);
  }

  it('names the statement, SQLSTATE and constraint of a unique violation, never the parameters', async () => {
    const e = await failedInsert();
    expect(String((e as Error).message)).toContain(SECRET_HASH); // what drizzle puts in the message
    expect(isDatabaseError(e)).toBe(true);
    const summary = summarizeError(e);
    const text = JSON.stringify(summary);
    expect(text).not.toContain(SECRET_HASH);
    expect(text).not.toContain('params');
    expect(text).not.toContain('pt_dup2');
    expect(summary).toMatchObject({ type: 'DrizzleQueryError', statement: 'insert into proxy_tokens', cause: { code: '23505' } });
    expect(summary.cause?.constraint).toMatch(/token_hash/);
    expect(describeError(e)).toMatch(/insert into proxy_tokens.*23505/);
  });

  it('leaves out the value PostgreSQL quotes in a data error', async () => {
    const e = await h.db.execute(sql`select ${'secret-value-7'}::int as n`).then(() => null, (x: unknown) => x);
    const cause = (e as { cause?: { message?: string } }).cause;
    expect(cause?.message).toContain('secret-value-7'); // invalid input syntax for type integer: "secret-value-7"
    const text = JSON.stringify(summarizeError(e));
    expect(text).not.toContain('secret-value-7');
    expect(summarizeError(e).cause?.code).toBe('22P02');
  });

  it('writes the summary through the console logger, whatever key form the caller used', async () => {
    const e = await failedInsert();
    const { logger, text } = capture();
    logger.error({ err: e }, 'job failed');
    logger.warn(e as Error, 'as the first argument');
    logger.info({ error: e, params: ['x'] }, 'under error');
    expect(text()).toContain('23505');
    expect(text()).not.toContain(SECRET_HASH);
    expect(text()).not.toContain('Failed query');
  });

  it('a procedure failing on the database logs a summary and tells the client nothing', async () => {
    const { logger, text } = capture();
    vi.spyOn(log, 'error').mockImplementation(((obj: unknown, msg?: string) => logger.error(obj as object, msg)) as typeof log.error);
    const router = createRouter({
      boom: viewerProcedure.query(async ({ ctx }) => ctx.db.execute(sql`select id from proxy_tokens where created_at > ${SECRET_HASH}::timestamptz`)),
    });
    const caller = createCallerFactory(router)({ ...ctxFor(h.db, actor('viewer')), sameOrigin: true });
    const err = await caller.boom().then(() => null, (x: unknown) => x as Error);
    expect(err).toBeInstanceOf(Error);
    expect(text()).toContain('procedure failed');
    expect(text()).toContain('22007'); // invalid datetime syntax, whose message quotes the value
    expect(text()).toContain('select from proxy_tokens');
    expect(text()).not.toContain(SECRET_HASH);
  });
});

describe('error summaries', () => {
  it('keeps the message and call-site frames of an ordinary error', () => {
    const s = summarizeError(new TypeError('cannot read x of undefined'));
    expect(s).toMatchObject({ type: 'TypeError', message: 'cannot read x of undefined' });
    expect(s.frames?.[0]).toMatch(/^at /);
  });

  it('cuts a query text someone pasted into a message, and control characters', () => {
    const s = summarizeError(new Error('refused: Failed query: select 1\nparams: hunter2'));
    expect(s.message).toBe('refused: [query text omitted]');
    expect(summarizeError(new Error('line one\nfake log line')).message).toBe('line one fake log line');
  });

  it('follows causes, and the first error of an AggregateError (pg trying several addresses)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const s = summarizeError(new Error('outer', { cause: new AggregateError([refused]) }));
    expect(s.cause?.cause).toMatchObject({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('keeps the message of operational database errors, which name the trouble and no data', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(summarizeError(shutdown)).toMatchObject({ code: '57P01', message: 'terminating connection due to administrator command' });
    const data = Object.assign(new Error('value too long: "card 4111"'), { code: '22001' });
    expect(summarizeError(data).message).toBeUndefined();
  });

  it('names statements by verb and table', () => {
    expect(statementName('insert into "access_events" ("ts") values ($1)')).toBe('insert into access_events');
    expect(statementName('select "id" from "proxy_tokens" where "token_hash" = $1')).toBe('select from proxy_tokens');
    expect(statementName('update "users" set "password_hash" = $1')).toBe('update users');
    expect(statementName('delete from "sessions" where id = $1')).toBe('delete from sessions');
    expect(statementName('with data as (select 1) insert into x select * from data')).toBe('with');
    expect(statementName('nonsense')).toBeUndefined();
  });
});
