// Types for inspect-build.mjs (plain JavaScript, run by bare Node).
export const ENGINE_FILE_NAME: string;
export function buildEngine(): string | null;
export function engineSource(): string;
export function buildInspectModule(o: { classifiersFile: string; engine?: string }): string;
export interface FilterInNode {
  load(text: string): { revision: number | null; active: boolean; builtins: string[]; rules: unknown[]; maxBodyBytes: number };
  actions(set: { rules: unknown[] }, direction: 'request' | 'response', caller: string): { redact: string[]; block: string[] };
}
export function loadFilterInNode(moduleText: string): Promise<FilterInNode>;
