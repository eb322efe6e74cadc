import { assignInput, actorsInput, falsePositiveInput, getInput, liftInput, listInput, mitigateInput, summaryInput, triageInput } from '@/server/detection/schemas';
import { denyActor } from '@/server/detection/mitigate';
import { getDetection, listActors, listAssignees, listDetections, listSuppressions, openBySeverity } from '@/server/detection/queries';
import { assignDetection, liftSuppression, markFalsePositive, triageDetection } from '@/server/detection/triage';
import { analystProcedure, createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

/** A suppression made or lifted here reaches this console's detection at once (others within their reload interval). */
async function rescreen<T>(ctx: TrpcContext, result: T): Promise<T> {
  await ctx.detection?.reload();
  return result;
}

/**
 * Procedures behind `/detections`: viewers read; analysts triage, assign, mark false positives
 * (with an expiring suppression), lift suppressions and propose "deny this actor", which only
 * adds an expiring entry to the service's policy draft (an admin who did not write it approves).
 */
export const detectionsRouter = createRouter({
  list: viewerProcedure.input(listInput).query(({ ctx, input }) => listDetections(ctx, input)),
  get: viewerProcedure.input(getInput).query(({ ctx, input }) => getDetection(ctx, input.id)),
  actors: viewerProcedure.input(actorsInput).query(({ ctx, input }) => listActors(ctx, input)),
  summary: viewerProcedure.input(summaryInput).query(({ ctx, input }) => openBySeverity(ctx, input)),
  suppressions: viewerProcedure.query(({ ctx }) => listSuppressions(ctx)),
  assignees: analystProcedure.query(({ ctx }) => listAssignees(ctx)),
  triage: analystProcedure.input(triageInput).mutation(({ ctx, input }) => triageDetection(ctx, input)),
  falsePositive: analystProcedure.input(falsePositiveInput).mutation(async ({ ctx, input }) => rescreen(ctx, await markFalsePositive(ctx, input))),
  assign: analystProcedure.input(assignInput).mutation(({ ctx, input }) => assignDetection(ctx, input)),
  liftSuppression: analystProcedure.input(liftInput).mutation(async ({ ctx, input }) => rescreen(ctx, await liftSuppression(ctx, input))),
  mitigate: analystProcedure.input(mitigateInput).mutation(({ ctx, input }) => denyActor(ctx, input)),
});
