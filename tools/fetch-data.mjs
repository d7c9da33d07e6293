#!/usr/bin/env node
// `autodidact data fetch [set ...]` from the sources, so it runs before a build (npm's pretest
// and prestart use it). The recipes live in packages/core/src/data-sets/; users run
// `npx autodidact data fetch <set>` (or `npx autodidact data list`).
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../packages/core/src/cli/main.ts', import.meta.url);
process.exitCode = await main(['data', 'fetch', ...process.argv.slice(2)]);
