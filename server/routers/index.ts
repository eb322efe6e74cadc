import { createCallerFactory, createRouter } from '@/server/trpc';
import { apisRouter } from './apis';
import { auditRouter } from './audit';
import { dataflowRouter } from './dataflow';
import { fleetRouter } from './fleet';
import { graphRouter } from './graph';
import { overviewRouter } from './overview';
import { policiesRouter } from './policies';
import { sessionRouter } from './session';
import { usersRouter } from './users';

export const appRouter = createRouter({
  session: sessionRouter,
  users: usersRouter,
  fleet: fleetRouter,
  audit: auditRouter,
  overview: overviewRouter,
  graph: graphRouter,
  dataflow: dataflowRouter,
  apis: apisRouter,
  policies: policiesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
