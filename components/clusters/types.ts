import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers';

type Out = inferRouterOutputs<AppRouter>;
export type ClusterList = Out['clusters']['list'];
export type ClusterSettings = ClusterList['defaults'];
export type PreviewRow = Out['clusters']['preview'][number];
export const EVERY_CLUSTER = '*';

/** `key = value` lines → a record; blank lines skipped; a line without `=` is reported by number. */
export function parsePairs(text: string): { value: Record<string, string>; error: string | null } {
  const value: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { value, error: `Line ${i + 1}: write it as key = value` };
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(value, key)) return { value, error: `Line ${i + 1}: ${key} is given twice` };
    value[key] = line.slice(eq + 1).trim();
  }
  return { value, error: null };
}

export const pairsText = (r: Record<string, string>) => Object.entries(r).map(([k, v]) => `${k} = ${v}`).join('\n');

export const selectorText = (r: Record<string, string>) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(', ');
