import { classifierHistory, currentClassifiers, historyInput, publishClassifiers, publishInput, republishClassifiers, republishInput } from '@/server/classifiers/revisions';
import { classifierImpact, impactInput, impactOutput } from '@/server/classifiers/impact';
import { tryClassifiers, tryInput } from '@/server/classifiers/try-set';
import { BUILTIN_CLASSES, BUILTIN_DESCRIPTIONS } from '@/server/dataclass';
import { adminProcedure, analystProcedure, createRouter, viewerProcedure } from '@/server/trpc';

/**
 * Procedures behind `/data/classifiers`: everyone reads the set in force and its history and
 * analysts and admins may try a body against a draft and measure the draft's shadow impact on past
 * findings (mutations: a body or a draft is too big for a URL); admins publish (audited; proxies
 * pick it up on their next poll).
 */
export const classifiersRouter = createRouter({
  current: viewerProcedure.query(async ({ ctx }) => ({
    ...(await currentClassifiers(ctx.db)),
    builtinClasses: BUILTIN_CLASSES.map((name) => ({ name, description: BUILTIN_DESCRIPTIONS[name] ?? '' })),
  })),
  history: viewerProcedure.input(historyInput.prefault({})).query(({ ctx, input }) => classifierHistory(ctx, input)),
  try: analystProcedure.input(tryInput).mutation(({ input }) => tryClassifiers(input)),
  impact: analystProcedure.input(impactInput).output(impactOutput).mutation(({ ctx, input }) => classifierImpact(ctx, input)),
  publish: adminProcedure.input(publishInput).mutation(({ ctx, input }) => publishClassifiers(ctx, input)),
  republish: adminProcedure.input(republishInput).mutation(({ ctx, input }) => republishClassifiers(ctx, input)),
});
