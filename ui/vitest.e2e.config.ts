import { defineConfig } from 'vitest/config';

// Browser tests (e2e/*.e2e.ts) against a real `seer up`: one file, sequential, generous timeouts.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
