import { z } from 'zod';
import { proposeDeny } from '@/server/policy/deny-actor';
import { approveRevision, discardRevision, editDraft, generateDraft, publishRevision, rollbackPolicy, rollbackPreview } from '@/server/policy/lifecycle';
import { brief, diffRevisions, getPolicyService, listPolicyServices } from '@/server/policy/overview';
import { policyRollout } from '@/server/policy/rollout';
import { approveInput, denyActorInput, diffInput, editInput, generateInput, rollbackInput, rollbackPreviewInput, serviceInput, shadowInput, stepInput } from '@/server/policy/schemas';
import { shadowImpact } from '@/server/policy/shadow';
import { adminProcedure, analystProcedure, createRouter, viewerProcedure } from '@/server/trpc';

/** Procedures behind `/policies`: analysts draft, admins approve (not their own), publish and roll back. */
export const policiesRouter = createRouter({
  services: viewerProcedure.query(({ ctx }) => listPolicyServices(ctx)),
  service: viewerProcedure.input(serviceInput).query(({ ctx, input }) => getPolicyService(ctx, input.service)),
  diff: viewerProcedure.input(diffInput).query(({ ctx, input }) => diffRevisions(ctx, input)),
  rollout: viewerProcedure.input(z.object({ service: z.string().max(256).optional() }).optional()).query(({ ctx, input }) => policyRollout(ctx, input?.service ? [input.service] : undefined)),
  shadow: analystProcedure.input(shadowInput).query(({ ctx, input }) => shadowImpact(ctx, input)),
  generate: analystProcedure.input(generateInput).mutation(async ({ ctx, input }) => brief(await generateDraft(ctx, input))),
  edit: analystProcedure.input(editInput).mutation(async ({ ctx, input }) => brief(await editDraft(ctx, input))),
  /** "deny this actor" from the traffic views: an expiring entry in the service's draft, approved like any edit */
  denyActor: analystProcedure.input(denyActorInput).mutation(({ ctx, input }) => proposeDeny(ctx, input)),
  discard: analystProcedure.input(stepInput).mutation(async ({ ctx, input }) => brief(await discardRevision(ctx, input))),
  discardApproved: adminProcedure.input(stepInput).mutation(async ({ ctx, input }) => brief(await discardRevision(ctx, input, { approved: true }))),
  approve: adminProcedure.input(approveInput).mutation(async ({ ctx, input }) => brief(await approveRevision(ctx, input))),
  publish: adminProcedure.input(stepInput).mutation(async ({ ctx, input }) => brief(await publishRevision(ctx, input))),
  rollbackPreview: adminProcedure.input(rollbackPreviewInput).query(({ ctx, input }) => rollbackPreview(ctx, input)),
  rollback: adminProcedure.input(rollbackInput).mutation(async ({ ctx, input }) => brief(await rollbackPolicy(ctx, input))),
});
