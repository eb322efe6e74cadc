import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers';

type Out = inferRouterOutputs<AppRouter>;
export type ThresholdList = Out['thresholds']['list'];
export type Thresholds = ThresholdList['defaults'];
export type Backtest = Out['thresholds']['backtest'];
export const WINDOW_KEYS = ['5m', '30m', '4h', '24h'] as const;
export const GLOBAL = '*';
