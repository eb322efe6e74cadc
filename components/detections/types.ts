import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers';

type Out = inferRouterOutputs<AppRouter>;
/** One detection as its page receives it. */
export type DetectionView = Out['detections']['get'];
export type ActorRow = Out['detections']['actors']['rows'][number];
