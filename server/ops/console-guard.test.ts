import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '@/server/testing/db';
import { guardConsole, safeConsoleArg } from './console-guard';

const SECRET = 'mwp_Sup3rS3cretToken-value';

describeEachEngine('console output of errors Next.js logs by itself', (h) => {
  it('prints a failed query by its summary: neither the statement text nor its parameters', async () => {
    const failed = await h.db.execute(sql`select ${SECRET}::int as n`).then(() => null, (e: unknown) => e);
    expect(String((failed as Error).message) + String((failed as Error).cause ?? '')).toContain('invalid input syntax');
    const lines: unknown[][] = [];
    const sink = { error: (...a: unknown[]) => void lines.push(a), warn: (...a: unknown[]) => void lines.push(a) };
    const undo = guardConsole(sink);
    sink.error('⨯', failed);
    sink.warn(new Error('wrapper', { cause: failed }));
    sink.error(`Failed query: select $1\nparams: ${SECRET}`);
    sink.error('an ordinary message', 42);
    undo();
    const printed = JSON.stringify(lines.map((l) => l.map(String)));
    expect(printed).not.toContain(SECRET);
    expect(printed).toContain('22P02');
    expect(lines[3]).toEqual(['an ordinary message', 42]);
  });
});

it('leaves errors that carry no query as they are', () => {
  const e = new Error('disk full');
  expect(safeConsoleArg(e)).toBe(e);
});
