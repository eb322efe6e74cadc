import { createRouter } from '@/server/trpc';

/** Procedures behind the overview page (`/`). */
export const overviewRouter = createRouter({});
