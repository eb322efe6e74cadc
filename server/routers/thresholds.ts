import { addAllowEntry, listAllowList, removeAllowEntry } from '@/server/detection/allow-list';
import { backtestThresholds } from '@/server/detection/backtest';
import { addAllowInput, backtestInput, removeAllowInput, removeThresholdsInput, setThresholdsInput } from '@/server/detection/schemas';
import { listThresholds, removeThresholds, setThresholds } from '@/server/detection/thresholds';
import { adminProcedure, createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

/** A change reaches this console's detection at once (others within their reload interval). */
async function reconfigure<T>(ctx: TrpcContext, result: T): Promise<T> {
  await ctx.detection?.reload();
  return result;
}

/**
 * Procedures behind `/settings/thresholds`: everyone reads; admins backtest and set thresholds
 * and keep the allow-list, each change audited. The backtest is a query (it changes nothing)
 * but replays up to a week of events, so it is for the people who may act on it.
 */
export const thresholdsRouter = createRouter({
  list: viewerProcedure.query(({ ctx }) => listThresholds(ctx)),
  backtest: adminProcedure.input(backtestInput).query(({ ctx, input }) => backtestThresholds(ctx, input, { maxEvents: ctx.detection?.backtestEvents })),
  set: adminProcedure.input(setThresholdsInput).mutation(async ({ ctx, input }) => reconfigure(ctx, await setThresholds(ctx, input))),
  remove: adminProcedure.input(removeThresholdsInput).mutation(async ({ ctx, input }) => reconfigure(ctx, await removeThresholds(ctx, input))),
  allowList: viewerProcedure.query(({ ctx }) => listAllowList(ctx)),
  addAllow: adminProcedure.input(addAllowInput).mutation(async ({ ctx, input }) => reconfigure(ctx, await addAllowEntry(ctx, input))),
  removeAllow: adminProcedure.input(removeAllowInput).mutation(async ({ ctx, input }) => reconfigure(ctx, await removeAllowEntry(ctx, input))),
});
