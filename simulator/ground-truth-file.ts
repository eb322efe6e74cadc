import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GroundTruthRecord } from './ground-truth';

/** Appends entries as JSON lines (docs/simulator.md describes them); the file is never sent anywhere. */
export function appendGroundTruth(file: string, entries: readonly GroundTruthRecord[]) {
  if (!entries.length) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}
