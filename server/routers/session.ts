import { z } from 'zod';
import { ROLES } from '@/lib/enums';
import { endAllSessions, listOwnSessions, ownSessionsOutput } from '@/server/auth/sessions';
import { createRouter, credentialProcedure, protectedProcedure } from '@/server/trpc';
import { changeOwnPasswordInput } from '@/server/users/schemas';
import { changeOwnPassword } from '@/server/users/manage';

const meOutput = z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) });

export const sessionRouter = createRouter({
  me: credentialProcedure.output(meOutput).query(({ ctx }) => ctx.actor),
  changePassword: credentialProcedure.input(changeOwnPasswordInput).mutation(({ ctx, input }) => changeOwnPassword(ctx, input, { initialPasswordFile: ctx.initialPasswordFile })),
  list: protectedProcedure.output(ownSessionsOutput).query(({ ctx }) => listOwnSessions(ctx)),
  signOutEverywhere: credentialProcedure.input(z.object({}).strict()).mutation(({ ctx }) => endAllSessions(ctx)),
});
