import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { createRouter, protectedProcedure } from '@/server/trpc';
import { changeOwnPasswordInput } from '@/server/users/schemas';
import { changeOwnPassword } from '@/server/users/manage';

const meOutput = z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) });

export const sessionRouter = createRouter({
  me: protectedProcedure.output(meOutput).query(({ ctx }) => ctx.actor),
  changePassword: protectedProcedure.input(changeOwnPasswordInput).mutation(({ ctx, input }) => changeOwnPassword(ctx, input)),
});
