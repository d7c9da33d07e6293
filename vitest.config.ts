import { defineConfig } from 'vitest/config';

// One runner for the whole workspace. Tests import package sources through the
// "source" export condition, so no build is needed before `vitest run`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['tools/test/fast-check-setup.ts'],
    pool: 'forks',
    reporters: ['default'],
  },
});
