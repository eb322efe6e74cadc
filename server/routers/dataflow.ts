import { createRouter } from '@/server/trpc';

/** Procedures behind the sensitive-data views (`/data`, `/data/tokens/[id]`). */
export const dataflowRouter = createRouter({});
