import {
  classesOutput, flowsInput, flowsOutput, matrixInput, matrixOutput, sensitiveClasses, sensitiveFlows, sensitiveMatrix,
} from '@/server/traffic/dataflow';
import { rangeInput } from '@/server/traffic/view-range';
import { tokenActivity, tokenActivityOutput, tokenInput } from '@/server/traffic/token-activity';
import { tokenIdentity, tokenIdentityInput, tokenIdentityOutput } from '@/server/traffic/token-identity';
import { createRouter, viewerProcedure } from '@/server/trpc';

/** Procedures behind the sensitive-data views (`/data`, `/data/tokens/[id]`). */
export const dataflowRouter = createRouter({
  classes: viewerProcedure.input(rangeInput).output(classesOutput).query(({ ctx, input }) => sensitiveClasses(ctx, input)),
  matrix: viewerProcedure.input(matrixInput).output(matrixOutput).query(({ ctx, input }) => sensitiveMatrix(ctx, input)),
  flows: viewerProcedure.input(flowsInput).output(flowsOutput).query(({ ctx, input }) => sensitiveFlows(ctx, input)),
  token: viewerProcedure.input(tokenInput).output(tokenActivityOutput).query(({ ctx, input }) => tokenActivity(ctx, input)),
  /** who is behind a token: users, addresses, user agents, services (issue 14 §3) */
  tokenIdentity: viewerProcedure.input(tokenIdentityInput).output(tokenIdentityOutput).query(({ ctx, input }) => tokenIdentity(ctx, input)),
});
