import { expect, it } from 'vitest';
import { accessEvents } from '@/db/schema';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import { arrayLiteral } from './insert';

it('writes array literals with every element quoted and only quotes and backslashes escaped', () => {
  expect(arrayLiteral(['a', null, 'say "hi"', 'C:\\dir', '{x,y}', 1.5, true, undefined])).toBe(
    '{"a",NULL,"say \\"hi\\"","C:\\\\dir","{x,y}",1.5,true,NULL}',
  );
  expect(arrayLiteral([])).toBe('{}');
});

describeEachEngine('insert statement', (h) => {
  it('stores text exactly as sent, whatever characters it holds', async () => {
    const T = Date.UTC(2026, 10, 23, 9, 0, 0);
    const odd = ['quote " and \\ backslash', '{braces}, commas', 'NULL', '', ' spaced ', 'ünïcødé ✓ 😀', 'tab\tnew\nline'];
    const events = odd.map((path, i) => event(T + i, `r-${i}`, { path, userAgent: path, sensitive: i ? null : [{ class: 'email', direction: 'request', count: 1, path: '$."a\\"b"' }] }));
    expect(await ingest(h.db, [{ events, principal }], T + 60_000)).toBe(odd.length);
    const stored = await h.db.select().from(accessEvents).orderBy(accessEvents.ts);
    expect(stored.map((e) => e.path)).toEqual(odd);
    expect(stored.map((e) => e.userAgent)).toEqual(odd);
    expect(stored[0].sensitive).toEqual([{ class: 'email', direction: 'request', count: 1, path: '$."a\\"b"' }]);
  });
});
