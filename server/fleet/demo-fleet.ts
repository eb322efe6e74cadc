// The console's side of the built-in demo fleet (`MESHWARD_SIMULATOR=on`): the simulator lives
// outside the product (simulator/) and gets from the console only what this host hands it.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { systemCtx } from '@/server/context';
import { log } from '@/server/log';
import { startEmbeddedSimulator, type EmbeddedSimulator, type EmbeddedSimulatorOptions } from '@/simulator/embedded';
import { simulatorTokens } from './simulator-tokens';

export function startDemoFleet(db: Db, o: Omit<EmbeddedSimulatorOptions, 'host'>): EmbeddedSimulator {
  return startEmbeddedSimulator({
    ...o,
    host: {
      issueTokens: (clusters) => simulatorTokens(systemCtx(db, 'simulator'), clusters),
      hasEventsSince: async (from) => {
        const [row] = await rows<{ found: boolean }>(db, sql`select exists (select 1 from access_events where ts >= ${from.toISOString()}::timestamptz) as found`);
        return row.found;
      },
      log,
    },
  });
}
