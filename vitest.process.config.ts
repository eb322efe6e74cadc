import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Process-level tests (`*.process.test.ts`): each starts real console processes from the
 * production build, so run them after `next build`, one file at a time.
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['**/*.process.test.ts'],
    exclude: ['node_modules/**', '.next/**'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    env: { MESHWARD_LOG_LEVEL: 'silent' },
  },
});
