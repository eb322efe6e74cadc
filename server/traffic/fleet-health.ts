import { z } from 'zod';
import type { Ctx } from '@/server/context';
import { listProxies } from '@/server/fleet/proxies';

export const fleetHealthOutput = z.object({
  total: z.number(),
  reporting: z.number(),
  silent: z.number(),
  eventsPerMin: z.number(),
  /** the silent proxies, longest silent first (at most SILENT_SHOWN) */
  silentProxies: z.array(
    z.object({ id: z.string(), service: z.string().nullable(), cluster: z.string().nullable(), lastSeenAt: z.date() }),
  ),
  /** proxies per reported software version, most common first; null = never sent a heartbeat */
  versions: z.array(z.object({ version: z.string().nullable(), proxies: z.number() })),
});

const SILENT_SHOWN = 5;

/** Fleet health now (not over a range): who reports, who went silent, which versions run. */
export async function fleetHealth(ctx: Ctx): Promise<z.infer<typeof fleetHealthOutput>> {
  const list = await listProxies(ctx);
  const silent = list.filter((p) => p.silent).sort((a, b) => a.lastSeenAt.getTime() - b.lastSeenAt.getTime());
  const versions = new Map<string | null, number>();
  for (const p of list) versions.set(p.version, (versions.get(p.version) ?? 0) + 1);
  return {
    total: list.length,
    reporting: list.length - silent.length,
    silent: silent.length,
    eventsPerMin: Math.round(list.reduce((s, p) => s + p.eventsPerMin, 0) * 10) / 10,
    silentProxies: silent.slice(0, SILENT_SHOWN).map((p) => ({ id: p.id, service: p.service, cluster: p.cluster, lastSeenAt: p.lastSeenAt })),
    versions: [...versions.entries()]
      .map(([version, proxies]) => ({ version, proxies }))
      .sort((a, b) => b.proxies - a.proxies || String(a.version).localeCompare(String(b.version))),
  };
}
