import { defineConfig } from 'vitest/config';

// The slow jobs (`*.slow.test.ts`): publishing, every documented command.
// Each npm script names its folder, e.g. `vitest run -c vitest.slow.config.ts tools/publish`;
// CI (.ci/run) runs each of them after `npm test`. Same settings as vitest.config.ts otherwise.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.slow.test.ts', 'tools/**/*.slow.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    setupFiles: ['tools/test/fast-check-setup.ts'],
    pool: 'forks',
    reporters: ['default'],
  },
});
