/**
 * Helpers of the data-set recipes: npm tarballs and Debian packages only (the registries this
 * project may reach), unpacked without installing anything.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Runs a program and returns its stdout; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** Downloads an npm tarball by exact version and unpacks it; returns the package folder. */
export function npmPack(spec: string, work: string): string {
  const out = run('npm', ['pack', spec, '--silent'], work).trim().split('\n').pop() ?? '';
  run('tar', ['xzf', out], work);
  return join(work, 'package');
}

/** Downloads a Debian package and extracts it without installing; returns the root folder. */
export function debExtract(name: string, work: string): string {
  run('apt-get', ['download', name], work);
  const deb = readdirSync(work).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
  const root = join(work, 'root');
  mkdirSync(root, { recursive: true });
  run('dpkg', ['-x', deb, root], work);
  return root;
}

/**
 * The folder `dir` (absolute) of Debian package `name`: the installed one when it holds `marker`
 * (default: when it exists), else the same path in the package, downloaded and extracted.
 */
export function debFolder(name: string, dir: string, work: string, marker = ''): string {
  return existsSync(join(dir, marker)) ? dir : join(debExtract(name, work), dir);
}

/** Copies the files of `src` that `keep` accepts (default: all) into `dest`, made if missing. */
export function copyAll(src: string, dest: string, keep: (file: string) => boolean = () => true): void {
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(src)) if (keep(f)) copyFileSync(join(src, f), join(dest, f));
}

/** Copies the files at `paths` (relative to `src`) into `dest`, made if missing, under their own names. */
export function copyNamed(src: string, dest: string, paths: readonly string[]): void {
  mkdirSync(dest, { recursive: true });
  for (const p of paths) copyFileSync(join(src, p), join(dest, basename(p)));
}
