import { createRouter } from '@/server/trpc';

/** Procedures behind the service graph (`/graph`). */
export const graphRouter = createRouter({});
