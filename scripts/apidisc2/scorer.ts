// apidisc's scorer (../shared/bench/apidisc/score.mjs, or $APIDISC_DIR), typed: apidisc2 checks
// every request it writes with the scorer's own router, so both agree on where a path goes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const APIDISC_DIR = process.env.APIDISC_DIR || path.resolve(import.meta.dirname, '../../../shared/bench/apidisc');

export interface Router {
  readonly __router: unique symbol;
}

export interface ScoreResult {
  precision: number;
  recall: number;
  f1: number;
  ceiling_f1: number;
  over_merged: number;
  under_merged: number;
  templates_true: number;
  templates_pred: number;
  noise: number;
  labeled: number;
  examples: Record<string, string[]>;
}

interface ScoreModule {
  buildRouter(templates: Iterable<string>): Router;
  route(router: Router, normalizedPath: string): string | null;
  normTemplate(template: string): string;
  normPath(path: string): string;
  score(
    truth: { service: string; method: string; template: string }[],
    pred: { service: string; method: string; template: string }[],
    traffic: { service: string; method: string; path: string }[],
    examples?: number,
  ): ScoreResult;
  formatReport(result: ScoreResult): string;
  readTruth(file: string): { service: string; method: string; template: string }[];
  readPred(file: string): { service: string; method: string; template: string }[];
  readTraffic(file: string): { service: string; method: string; path: string; status: number }[];
}

const SCORE_FILE = path.join(APIDISC_DIR, 'score.mjs');
if (!existsSync(SCORE_FILE)) throw new Error(`apidisc's scorer is missing: expected ${SCORE_FILE} (shared/ beside the repository, or set APIDISC_DIR)`);
const scorer = (await import(pathToFileURL(SCORE_FILE).href)) as ScoreModule;

export const { buildRouter, route, normTemplate, normPath, score, formatReport, readTruth, readPred, readTraffic } = scorer;

/** One router per method over a service's templates (normalized). */
export function methodRouters(endpoints: Iterable<{ method: string; template: string }>): Map<string, Router> {
  const byMethod = new Map<string, string[]>();
  for (const e of endpoints) {
    const list = byMethod.get(e.method) ?? [];
    list.push(normTemplate(e.template));
    byMethod.set(e.method, list);
  }
  return new Map([...byMethod].map(([m, ts]) => [m, buildRouter(ts)]));
}
