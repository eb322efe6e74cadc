import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DomainError } from '@/server/errors';
import { describeEachEngine } from '@/server/testing/db';
import { boundedRead, TOO_LONG } from './bounded';

describeEachEngine('bounded search reads', (h) => {
  // PGlite runs in this thread and cannot interrupt its own statement, so the timeout is PostgreSQL's
  it.skipIf(h.engine === 'pglite')('turns a statement timeout into advice, and lifts the timeout afterwards', async () => {
    const err = await h.db.transaction((tx) => boundedRead(tx, () => tx.execute(sql`select pg_sleep(2)`), 100)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'BAD_REQUEST', message: TOO_LONG });
    await h.db.transaction(async (tx) => {
      await boundedRead(tx, () => tx.execute(sql`select 1`), 100);
      await tx.execute(sql`select pg_sleep(0.3)`);
    });
  });

  it('passes other errors through', async () => {
    const err = await h.db.transaction((tx) => boundedRead(tx, () => tx.execute(sql`select 1/0`))).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(DomainError);
  });
});
