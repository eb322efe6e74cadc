import { z } from 'zod';
import { searchFields } from '@/server/search/query';
import { eventsInput, eventsOutput, searchEvents } from '@/server/search/events';
import { histogramInput, histogramOutput, searchHistogram } from '@/server/search/histogram';
import { topValues, valuesInput, valuesOutput } from '@/server/search/values';
import { createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

const fieldsOutput = z.array(
  z.object({ name: z.string(), type: z.string(), description: z.string(), example: z.string(), aliases: z.array(z.string()).readonly() }),
);

const options = (ctx: TrpcContext) => ({ retentionDays: ctx.retentionDays });

/**
 * Procedures behind `/search`. Viewers read everything but secrets and the user list (SPEC
 * "Roles"), so they search; saving searches and exporting are the analyst's. Reading a page of
 * results writes an audit entry (server/search/events.ts).
 */
export const searchRouter = createRouter({
  events: viewerProcedure.input(eventsInput).output(eventsOutput).query(({ ctx, input }) => searchEvents(ctx, input, options(ctx))),
  histogram: viewerProcedure.input(histogramInput).output(histogramOutput).query(({ ctx, input }) => searchHistogram(ctx, input, options(ctx))),
  values: viewerProcedure.input(valuesInput).output(valuesOutput).query(({ ctx, input }) => topValues(ctx, input, options(ctx))),
  fields: viewerProcedure.output(fieldsOutput).query(() => searchFields()),
});
