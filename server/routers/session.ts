import { z } from 'zod';
import { ROLES } from '@/lib/enums';
import { endAllSessions, listOwnSessions, ownSessionsOutput } from '@/server/auth/sessions';
import { createRouter, protectedProcedure } from '@/server/trpc';
import { changeOwnPasswordInput } from '@/server/users/schemas';
import { changeOwnPassword } from '@/server/users/manage';

const meOutput = z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) });

export const sessionRouter = createRouter({
  me: protectedProcedure.output(meOutput).query(({ ctx }) => ctx.actor),
  changePassword: protectedProcedure.input(changeOwnPasswordInput).mutation(({ ctx, input }) => changeOwnPassword(ctx, input)),
  list: protectedProcedure.output(ownSessionsOutput).query(({ ctx }) => listOwnSessions(ctx)),
  signOutEverywhere: protectedProcedure.input(z.object({}).strict()).mutation(({ ctx }) => endAllSessions(ctx)),
});
