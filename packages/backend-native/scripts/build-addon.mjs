#!/usr/bin/env node
// Builds the OpenBLAS addon with node-gyp. Never fails the install: when there is no
// compiler, no OpenBLAS or no Node headers, it says so and exits 0, and the package
// reports itself unavailable at run time (core then falls back to tfjs's cpu backend).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_BACKEND_FIX } from './find-openblas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const logFile = join(root, 'build', 'build-addon.log');
const say = (line) => process.stderr.write(`@autodidact/backend-native: ${line}\n`);

function nodeGyp() {
  // npm ships node-gyp; find it next to the npm that runs us, else on PATH.
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const c of candidates) if (c && existsSync(c)) return [process.execPath, c];
  return ['node-gyp'];
}

function main() {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('node-addon-api');
  } catch {
    return 'node-addon-api is not installed';
  }
  const args = ['rebuild', '--release'];
  // Use the installed Node headers instead of downloading them when they are present.
  const prefix = join(dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const [cmd, ...pre] = nodeGyp();
  const run = spawnSync(cmd, [...pre, ...args], { cwd: root, encoding: 'utf8', stdio: verbose ? 'inherit' : 'pipe' });
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(logFile, `${run.stdout ?? ''}\n${run.stderr ?? ''}\n${run.error ? String(run.error) : ''}`);
  if (run.status !== 0) {
    const text = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (/cblas\.h|lopenblas/.test(text)) return `OpenBLAS not found (Debian/Ubuntu: ${FAST_BACKEND_FIX})`;
    if (/not found|ENOENT|make: |g\+\+|c\+\+/.test(text) && !/error:/.test(text)) return 'no C++ toolchain (install g++ and make)';
    return `node-gyp failed (exit ${run.status ?? run.error}); see ${logFile}`;
  }
  return undefined;
}

const failure = main();
if (failure) say(`addon not built: ${failure}. The slower pure-JS cpu backend will be used.`);
else say('addon built (OpenBLAS kernels available).');
process.exit(0);
