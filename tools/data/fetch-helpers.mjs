// Helpers for the data-set fetchers under tools/data/: npm tarballs and Debian packages only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** Download an npm tarball by exact version and unpack it; returns the package folder. */
export function npmPack(spec, work) {
  const out = run('npm', ['pack', spec, '--silent'], work).trim().split('\n').pop();
  run('tar', ['xzf', out], work);
  return join(work, 'package');
}

/** Download a Debian package and extract it without installing; returns the root folder. */
export function debExtract(name, work) {
  run('apt-get', ['download', name], work);
  const deb = readdirSync(work).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
  const root = join(work, 'root');
  mkdirSync(root, { recursive: true });
  run('dpkg', ['-x', deb, root], work);
  return root;
}
