import { z } from 'zod';
import { searchFields } from '@/server/search/query';
import { eventsInput, eventsOutput, searchEvents } from '@/server/search/events';
import {
  createSavedSearch, getSavedSearch, listSavedSearches, removeSavedSearch, savedCreateInput, savedIdInput, savedListOutput, savedRemoveOutput,
  savedSearchOutput, savedUpdateInput, updateSavedSearch,
} from '@/server/search/saved';
import { histogramInput, histogramOutput, searchHistogram } from '@/server/search/histogram';
import { topValues, valuesInput, valuesOutput } from '@/server/search/values';
import { analystProcedure, createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

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
  /** saved and shared searches: everyone opens theirs and the team's; analysts keep them (server/search/saved.ts) */
  saved: createRouter({
    list: viewerProcedure.output(savedListOutput).query(({ ctx }) => listSavedSearches(ctx)),
    get: viewerProcedure.input(savedIdInput).output(savedSearchOutput).query(({ ctx, input }) => getSavedSearch(ctx, input)),
    create: analystProcedure.input(savedCreateInput).output(savedSearchOutput).mutation(({ ctx, input }) => createSavedSearch(ctx, input)),
    update: analystProcedure.input(savedUpdateInput).output(savedSearchOutput).mutation(({ ctx, input }) => updateSavedSearch(ctx, input)),
    remove: analystProcedure.input(savedIdInput).output(savedRemoveOutput).mutation(({ ctx, input }) => removeSavedSearch(ctx, input)),
  }),
});
