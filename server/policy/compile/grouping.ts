// Identity × endpoint pairs as a few rectangles (every identity of a group may call every
// endpoint of it), so that 2,000 endpoints × 200 callers do not become 400,000 entries.
// Either orientation is exact; the smaller one is kept.

export interface Group {
  identities: string[];
  endpoints: string[];
}

/** Rows that share exactly the same set of columns, as one group each. */
function rowsBySameColumns(rows: Map<string, Set<string>>): { rows: string[]; columns: string[] }[] {
  const columns = [...new Set([...rows.values()].flatMap((s) => [...s]))].sort();
  const index = new Map(columns.map((c, i) => [c, i]));
  const groups = new Map<string, { rows: string[]; columns: string[] }>();
  for (const row of [...rows.keys()].sort()) {
    const cols = [...rows.get(row)!].map((c) => index.get(c)!).sort((a, b) => a - b);
    const key = cols.join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rows: [], columns: cols.map((i) => columns[i]) }));
    g.rows.push(row);
  }
  return [...groups.values()];
}

function invert(m: Map<string, Set<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [a, set] of m) for (const b of set) {
    let s = out.get(b);
    if (!s) out.set(b, (s = new Set()));
    s.add(a);
  }
  return out;
}

const cost = (gs: { rows: string[]; columns: string[] }[]) => gs.reduce((n, g) => n + g.rows.length + g.columns.length, 0);

export function groupPairs(byIdentity: Map<string, Set<string>>): Group[] {
  const byIdentitySet = rowsBySameColumns(invert(byIdentity)); // rows: endpoints
  const byEndpointSet = rowsBySameColumns(byIdentity); // rows: identities
  return cost(byIdentitySet) <= cost(byEndpointSet)
    ? byIdentitySet.map((g) => ({ identities: g.columns, endpoints: g.rows }))
    : byEndpointSet.map((g) => ({ identities: g.rows, endpoints: g.columns }));
}
