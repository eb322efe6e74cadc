// Identity × endpoint pairs as a few rectangles (every identity of a group may call every
// endpoint of it), so that 2,000 endpoints × 200 callers do not become 400,000 entries.
// Either orientation is exact; the smaller one is kept. Names are interned as numbers so the
// grouping stays linear in the number of pairs.

export interface Group {
  identities: string[];
  endpoints: string[];
}

interface Raw {
  rows: number[];
  columns: number[];
}

/** Rows (as indexes) with exactly the same columns, one group each; `columnsOf[row]` ascending. */
function sameColumns(columnsOf: number[][]): Raw[] {
  const groups = new Map<string, Raw>();
  columnsOf.forEach((cols, row) => {
    if (!cols.length) return;
    const key = cols.join(',');
    const g = groups.get(key);
    if (g) g.rows.push(row);
    else groups.set(key, { rows: [row], columns: cols });
  });
  return [...groups.values()];
}

const cost = (gs: Raw[]) => gs.reduce((n, g) => n + g.rows.length + g.columns.length, 0);

export function groupPairs(byIdentity: Map<string, Set<string>>): Group[] {
  const identities = [...byIdentity.keys()].sort();
  const endpointSet = new Set<string>();
  for (const s of byIdentity.values()) for (const e of s) endpointSet.add(e);
  const endpoints = [...endpointSet].sort();
  const eIndex = new Map(endpoints.map((e, i) => [e, i]));

  const endpointsOf = identities.map((id) => [...byIdentity.get(id)!].map((e) => eIndex.get(e)!).sort((a, b) => a - b));
  const identitiesOf: number[][] = endpoints.map(() => []);
  endpointsOf.forEach((es, i) => {
    for (const e of es) identitiesOf[e].push(i); // ascending: identities are visited in order
  });

  const byIdentitySet = sameColumns(identitiesOf); // rows: endpoints
  const byEndpointSet = sameColumns(endpointsOf); // rows: identities
  return cost(byIdentitySet) <= cost(byEndpointSet)
    ? byIdentitySet.map((g) => ({ identities: g.columns.map((i) => identities[i]), endpoints: g.rows.map((e) => endpoints[e]) }))
    : byEndpointSet.map((g) => ({ identities: g.rows.map((i) => identities[i]), endpoints: g.columns.map((e) => endpoints[e]) }));
}
