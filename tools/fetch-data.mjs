#!/usr/bin/env node
// `autodidact data fetch [set ...]` from the sources, so it runs before a build (npm's pretest
// and prestart use it). The recipes live in packages/core/src/data-sets/; users run
// `npx autodidact data fetch <set>` (or `npx autodidact data list`).
// The packages' `#` imports name built files unless the `source` condition is on, so without it
// this re-runs itself under `--conditions=source` (a fresh clone has nothing built yet).
import { spawnSync } from 'node:child_process';
import { tsImport } from 'tsx/esm/api';

if (!process.execArgv.some((a) => a === '--conditions=source' || a === '-C=source')) {
  const r = spawnSync(process.execPath, ['--conditions=source', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await tsImport('../packages/core/src/cli/main.ts', import.meta.url);
process.exitCode = await main(['data', 'fetch', ...process.argv.slice(2)]);
