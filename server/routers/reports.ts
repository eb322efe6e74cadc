import { z } from 'zod';
import {
  generateInput, generateReport, getInput, getReport, listInput, listOutput, listReports, reportBrief,
} from '@/server/reports/generate';
import {
  createSchedule, createScheduleInput, deleteSchedule, deleteScheduleInput, listSchedules, scheduleBrief,
} from '@/server/reports/schedules';
import { analystProcedure, createRouter, viewerProcedure, type TrpcContext } from '@/server/trpc';

const options = (ctx: TrpcContext) => ({ retentionDays: ctx.retentionDays });

/**
 * Procedures behind `/reports`. Everyone reads the history; generating and scheduling are the
 * analyst's (SPEC "Roles": exports), not the auditor's: a generated report is a new record, and
 * the auditor changes nothing. The PDF and bundle bytes are served by
 * app/api/reports/[id]/[artefact] (audited) to analysts, admins and auditors, never through tRPC.
 */
export const reportsRouter = createRouter({
  list: viewerProcedure.input(listInput).output(listOutput).query(({ ctx, input }) => listReports(ctx, input)),
  get: viewerProcedure.input(getInput).output(reportBrief).query(({ ctx, input }) => getReport(ctx, input)),
  generate: analystProcedure.input(generateInput).output(reportBrief).mutation(({ ctx, input }) => generateReport(ctx, input, options(ctx))),
  schedules: createRouter({
    list: viewerProcedure.output(z.array(scheduleBrief)).query(({ ctx }) => listSchedules(ctx)),
    create: analystProcedure.input(createScheduleInput).output(scheduleBrief).mutation(({ ctx, input }) => createSchedule(ctx, input)),
    // the creator or an admin: checked in deleteSchedule, which knows the creator
    delete: analystProcedure.input(deleteScheduleInput).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => deleteSchedule(ctx, input)),
  }),
});

