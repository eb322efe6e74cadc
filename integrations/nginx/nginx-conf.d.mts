// Types for nginx-conf.mjs (plain JavaScript, so the agent runs on Node without a build step).
export const LOG_FORMAT: string;
export const VARIABLES_HASH: string;
export const FILTER_VARIABLES: string[];
export const DEFAULT_JS_MODULE: string;
export function renderInspectConf(maxBodyBytes: number): string;
export function renderNginxConf(o: { listen: string | number; upstream: string; rulesDir: string; accessLog: string; errorLog: string; pidFile: string; tempDir: string; jsModule?: string | null; inspect?: boolean }): string;
export const NO_POLICY: { http: string; server: string };
