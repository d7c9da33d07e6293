#!/usr/bin/env node
// One line after install: which tensor backend autodidact will use here, and exactly what to run
// to get the fast one. Only reports; never fails an install (the workspace's postinstall runs it).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_BACKEND_FIX, findOpenBlas } from './find-openblas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The line, e.g. `autodidact: backend native (OpenBLAS ...): the fast backend is ready`. */
export function backendReport() {
  const require = createRequire(join(process.cwd(), 'package.json'));
  try {
    require.resolve('@tensorflow/tfjs-node');
    return 'autodidact: backend tensorflow (@tensorflow/tfjs-node is installed): the fastest backend is ready';
  } catch {}
  const addonPath = join(root, 'build', 'Release', 'autodidact_native.node');
  let loadError;
  if (existsSync(addonPath)) {
    try {
      const addon = createRequire(import.meta.url)(addonPath);
      const version = addon.config().split(' ').slice(0, 2).join(' '); // e.g. "OpenBLAS 0.3.21"
      return `autodidact: backend native (${version}, ${addon.threads()} threads): the fast backend is ready`;
    } catch (err) {
      loadError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
  }
  const blas = findOpenBlas();
  const slow = 'autodidact: backend cpu (pure JS: a SimCLR step takes minutes instead of a second)';
  const log = relative(process.cwd(), join(root, 'build', 'build-addon.log'));
  if (loadError) return `${slow}: the native addon does not load (${loadError}); run: ${FAST_BACKEND_FIX}`;
  if (blas.buildable) return `${slow}: OpenBLAS is here but the native addon did not build (see ${log}); run: npm rebuild @autodidact/backend-native`;
  if (blas.missing.length === 1 && blas.missing[0].startsWith('a C++')) {
    return `${slow}: building the native backend needs ${blas.missing[0]}; run: sudo apt-get install g++ make && npm rebuild @autodidact/backend-native`;
  }
  return `${slow}. For the fast native backend run: ${FAST_BACKEND_FIX}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(backendReport());
  } catch (err) {
    console.log(`autodidact: could not tell which backend this install gives (${err instanceof Error ? err.message : err})`);
  }
  process.exit(0);
}
