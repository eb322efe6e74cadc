import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': import.meta.dirname } },
  test: {
    include: ['server/**/*.test.ts', 'simulator/**/*.test.ts', 'heldout/**/*.test.ts', 'integrations/**/*.test.ts', 'db/**/*.test.ts', 'scripts/**/*.test.ts', 'components/**/*.test.ts', 'lib/**/*.test.ts'],
    exclude: ['**/*.process.test.ts', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    // One embedded database per worker (PGlite costs seconds to open), shared by that worker's files.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { MESHWARD_LOG_LEVEL: 'silent' },
  },
});
