import { readFileSync, writeFileSync } from 'node:fs';
import { encodeBatches } from '@/simulator/encode';
import { TelemetrySender } from '@/simulator/sender';
import { SimStream } from '@/simulator/stream';
import { World } from '@/simulator/world';
import { AUTH_DIR, baseURL } from './support';

/** What the seeded traffic contains, as the specs need it to pick what to click. */
export interface SeededTraffic {
  events: number;
  services: string[];
  /** the busiest service-to-service edge (not from `external`) whose calls carried a token and sensitive data */
  edge: { src: string; dst: string; events: number };
  /** a token seen on that edge with sensitive data */
  token: string;
  /** data classes seen in the window */
  classes: string[];
  /** per class, the events that carried it (each counted once, whatever its direction) */
  classEvents: Record<string, number>;
}

const SUMMARY = `${AUTH_DIR}/traffic.json`;
export const SEED_MINUTES = 30;

/**
 * Sends the last half hour of a small simulated fleet through the real ingest routes with
 * `token` (run once, from global-setup), and writes what it sent to a summary file.
 */
export async function seedTraffic(token: string): Promise<SeededTraffic> {
  const world = new World({ seed: 20261123, rate: 4, users: 400, attackEveryMin: 15 });
  const now = Date.now();
  const stream = new SimStream(world, now - SEED_MINUTES * 60_000);
  const records = stream.advance(now);
  const sender = new TelemetrySender({ target: baseURL, tokenFor: () => token, maxNetworkRetries: 3 });
  try {
    await sender.sendAll(encodeBatches(world.topology, records), 4);
    await Promise.all(world.topology.proxies.map((p) => sender.heartbeat(p)));
  } finally {
    sender.close();
  }
  if (sender.stats.events !== records.length) throw new Error(`the console kept ${sender.stats.events} of ${records.length} seeded events`);

  const edges = new Map<string, { src: string; dst: string; events: number; tokens: Map<string, number> }>();
  const classes = new Set<string>();
  const classEvents: Record<string, number> = {};
  for (const r of records) {
    for (const m of r.sensitive ?? []) classes.add(m.class);
    for (const c of new Set((r.sensitive ?? []).map((m) => m.class))) classEvents[c] = (classEvents[c] ?? 0) + 1;
    if (r.srcService === 'external') continue;
    const key = `${r.srcService} ${r.dstService}`;
    const e = edges.get(key) ?? { src: r.srcService, dst: r.dstService, events: 0, tokens: new Map() };
    e.events += 1;
    if (r.tokenId && r.sensitive?.length) e.tokens.set(r.tokenId, (e.tokens.get(r.tokenId) ?? 0) + 1);
    edges.set(key, e);
  }
  const withTokens = [...edges.values()].filter((e) => e.tokens.size > 0).sort((a, b) => b.events - a.events);
  if (!withTokens.length) throw new Error('the seeded traffic has no edge carrying tokens and sensitive data');
  const best = withTokens[0];
  const token0 = [...best.tokens.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const summary: SeededTraffic = {
    events: records.length,
    services: [...new Set(records.flatMap((r) => [r.srcService, r.dstService]))].sort(),
    edge: { src: best.src, dst: best.dst, events: best.events },
    token: token0,
    classes: [...classes].sort(),
    classEvents,
  };
  writeFileSync(SUMMARY, JSON.stringify(summary, null, 2));
  return summary;
}

/** The summary global-setup wrote. */
export function seededTraffic(): SeededTraffic {
  return JSON.parse(readFileSync(SUMMARY, 'utf8')) as SeededTraffic;
}
