// Autocomplete of values in the search box: the most frequent values of a field in the range.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import { escapeLike } from '@/db/like';
import type { Ctx } from '@/server/context';
import { boundedRead } from './bounded';
import { scopeInput, searchScope, type SearchOptions } from './scope';
import { VALUE_FIELDS, type ValueField } from './value-fields';

export { VALUE_FIELDS, type ValueField };

// the value of each field as text; `class` is read from the `v` of the lateral join below
const EXPRESSIONS: Record<ValueField, SQL> = {
  service: sql`${ae.dstService}`,
  caller: sql`${ae.srcService}`,
  method: sql`upper(${ae.method})`,
  endpoint: sql`${ae.route}`,
  status: sql`${ae.status}::text`,
  token: sql`${ae.tokenId}`,
  user: sql`${ae.userId}`,
  'client.address': sql`host(${ae.clientIp})`,
  user_agent: sql`${ae.userAgent}`,
  class: sql`c.v`,
  proxy: sql`${ae.proxyId}`,
  cluster: sql`${ae.cluster}`,
  namespace: sql`${ae.namespace}`,
};
// matched as the query language matches them
const CASE_INSENSITIVE = new Set<ValueField>(['method', 'user_agent']);

export const valuesInput = scopeInput.extend({
  field: z.enum(VALUE_FIELDS),
  prefix: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(20).default(10),
});
export type ValuesInput = z.input<typeof valuesInput>;

export const valuesOutput = z.object({
  field: z.enum(VALUE_FIELDS),
  /** most frequent first; `count` is events, so an event with a class twice counts once */
  values: z.array(z.object({ value: z.string(), count: z.number() })),
});
export type ValuesOutput = z.infer<typeof valuesOutput>;

const likePrefix = (s: string) => `${escapeLike(s)}%`;

export async function topValues(ctx: Ctx, raw: ValuesInput, opts: SearchOptions = {}): Promise<ValuesOutput> {
  const input = valuesInput.parse(raw);
  const scope = searchScope(input, opts);
  const value = EXPRESSIONS[input.field];
  const source = input.field === 'class'
    ? sql`${ae} cross join lateral (select distinct x->>'class' as v from jsonb_array_elements(coalesce(${ae.sensitive}, '[]'::jsonb)) x) c`
    : sql`${ae}`;
  const prefix = input.prefix
    ? sql` and ${value} ${CASE_INSENSITIVE.has(input.field) ? sql`ilike` : sql`like`} ${likePrefix(input.prefix)} escape '\\'`
    : sql``;
  const found = await ctx.db.transaction((tx) =>
    boundedRead(tx, () =>
      rows<{ value: string; count: number }>(tx, sql`select ${value} as value, count(*)::int as count
        from ${source} where ${scope} and ${value} is not null${prefix}
        group by 1 order by 2 desc, ${value} collate "C" limit ${input.limit}`),
    ),
  );
  return { field: input.field, values: found.map((r) => ({ value: String(r.value), count: Number(r.count) })) };
}
