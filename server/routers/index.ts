import { createCallerFactory, createRouter } from '@/server/trpc';
import { auditRouter } from './audit';
import { fleetRouter } from './fleet';
import { sessionRouter } from './session';
import { usersRouter } from './users';

export const appRouter = createRouter({
  session: sessionRouter,
  users: usersRouter,
  fleet: fleetRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
