import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers';

type Out = inferRouterOutputs<AppRouter>;
type In = inferRouterInputs<AppRouter>;
export type CurrentSet = Out['classifiers']['current'];
export type ClassifierSet = In['classifiers']['publish']['document'];
export type Rule = ClassifierSet['rules'][number];
export type CustomClass = ClassifierSet['custom'][number];
export type TryResult = Out['classifiers']['try'];
export type Issues = Array<{ path: string; message: string }> | null | undefined;
export const issuesOf = (e: unknown): Issues => (e as { data?: { zodIssues?: Issues } } | null)?.data?.zodIssues;

/** `a, b c` → `['a', 'b', 'c']` */
export const splitList = (text: string) => text.split(/[\s,]+/).filter(Boolean);
