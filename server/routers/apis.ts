import { z } from 'zod';
import { getEndpoint, listEndpoints, listServices } from '@/server/discovery/inventory';
import { exportOpenApi } from '@/server/discovery/openapi';
import { mergeEndpoints, renameParam, reviewEndpoints, splitEndpoint } from '@/server/discovery/review';
import { getInput, listInput, listOutput, mergeInput, openApiInput, renameInput, reviewInput, servicesOutput, splitInput } from '@/server/discovery/schemas';
import { analystProcedure, createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

/** After a review change, this console routes ingest by the new templates at once (the others within their discovery interval). */
async function reroute<T>(ctx: TrpcContext, result: T): Promise<T> {
  await ctx.discovery?.reloadRouter();
  return result;
}

/** Procedures behind the endpoint inventory (`/apis`). */
export const apisRouter = createRouter({
  services: viewerProcedure.output(servicesOutput).query(({ ctx }) => listServices(ctx)),
  list: viewerProcedure.input(listInput).output(listOutput).query(({ ctx, input }) => listEndpoints(ctx, input)),
  get: viewerProcedure.input(getInput).query(({ ctx, input }) => getEndpoint(ctx, input)),
  review: analystProcedure.input(reviewInput).mutation(async ({ ctx, input }) => reroute(ctx, await reviewEndpoints(ctx, input))),
  renameParam: analystProcedure.input(renameInput).mutation(async ({ ctx, input }) => reroute(ctx, await renameParam(ctx, input))),
  merge: analystProcedure.input(mergeInput).mutation(async ({ ctx, input }) => reroute(ctx, await mergeEndpoints(ctx, input))),
  split: analystProcedure.input(splitInput).mutation(async ({ ctx, input }) => reroute(ctx, await splitEndpoint(ctx, input))),
  openApi: analystProcedure.input(openApiInput).query(({ ctx, input }) => exportOpenApi(ctx, input)),
  /** Writes what this console's learner found so far, now instead of at its next interval. */
  learnNow: analystProcedure.input(z.object({}).optional()).mutation(async ({ ctx }) => (ctx.discovery ? ctx.discovery.persist() : { services: 0, created: 0, removed: 0, flagged: 0 })),
});
