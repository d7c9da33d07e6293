import { configDefaults, defineConfig } from 'vitest/config';

// One runner for the whole workspace. Tests import package sources through the
// "source" export condition, so no build is needed before `vitest run`.
// `*.slow.test.ts` files are not in the default run: they are named jobs that CI runs after
// `npm test` (`npm run test:publish`, `npm run test:docs-commands`), through vitest.slow.config.ts.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.slow.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['tools/test/fast-check-setup.ts', 'tools/test/cache-dir-setup.ts'],
    pool: 'forks',
    reporters: ['default'],
  },
});
