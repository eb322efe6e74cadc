import { createCallerFactory, createRouter } from '@/server/trpc';
import { apisRouter } from './apis';
import { auditRouter } from './audit';
import { classifiersRouter } from './classifiers';
import { clustersRouter } from './clusters';
import { dataflowRouter } from './dataflow';
import { detectionsRouter } from './detections';
import { fleetRouter } from './fleet';
import { graphRouter } from './graph';
import { overviewRouter } from './overview';
import { policiesRouter } from './policies';
import { reportsRouter } from './reports';
import { searchRouter } from './search';
import { sessionRouter } from './session';
import { thresholdsRouter } from './thresholds';
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
  detections: detectionsRouter,
  thresholds: thresholdsRouter,
  clusters: clustersRouter,
  classifiers: classifiersRouter,
  search: searchRouter,
  reports: reportsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
