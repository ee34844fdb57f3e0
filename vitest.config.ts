import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Files run in parallel forks; each loads its own backends (2 threads each by default).
    pool: 'forks',
    maxWorkers: 2,
  },
});
