import { listSignInLocks, signInLocksOutput, unlockAccount, unlockAccountInput } from '@/server/auth/unlock';
import { adminProcedure, createRouter } from '@/server/trpc';
import { decideAdminGrant, listAdminGrants } from '@/server/users/grants';
import { createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from '@/server/users/manage';
import { createUserInput, decideGrantInput, resetPasswordInput, setDisabledInput, setRoleInput } from '@/server/users/schemas';

export const usersRouter = createRouter({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx, input)),
  setDisabled: adminProcedure.input(setDisabledInput).mutation(({ ctx, input }) => setUserDisabled(ctx, input)),
  resetPassword: adminProcedure.input(resetPasswordInput).mutation(({ ctx, input }) => resetUserPassword(ctx, input)),
  signInLocks: adminProcedure.output(signInLocksOutput).query(({ ctx }) => listSignInLocks(ctx)),
  unlock: adminProcedure.input(unlockAccountInput).mutation(({ ctx, input }) => unlockAccount(ctx, input)),
  grants: adminProcedure.query(({ ctx }) => listAdminGrants(ctx)),
  decideGrant: adminProcedure.input(decideGrantInput).mutation(({ ctx, input }) => decideAdminGrant(ctx, input)),
});
