import { fleetHealth, fleetHealthOutput } from '@/server/traffic/fleet-health';
import {
  overviewSeries, overviewStats, seriesOutput, statsOutput, topInput, topTalkers, topTalkersOutput, topTokens,
  topTokensOutput,
} from '@/server/traffic/overview';
import { rangeInput } from '@/server/traffic/view-range';
import { createRouter, viewerProcedure } from '@/server/trpc';

/** Procedures behind the overview page (`/`). */
export const overviewRouter = createRouter({
  stats: viewerProcedure.input(rangeInput).output(statsOutput).query(({ ctx, input }) => overviewStats(ctx, input)),
  series: viewerProcedure.input(rangeInput).output(seriesOutput).query(({ ctx, input }) => overviewSeries(ctx, input)),
  topTalkers: viewerProcedure.input(topInput).output(topTalkersOutput).query(({ ctx, input }) => topTalkers(ctx, input)),
  topTokens: viewerProcedure.input(topInput).output(topTokensOutput).query(({ ctx, input }) => topTokens(ctx, input)),
  // The fleet as it is now: health has no time range.
  fleetHealth: viewerProcedure.output(fleetHealthOutput).query(({ ctx }) => fleetHealth(ctx)),
});
