/**
 * Removes stale build outputs: files under a package's dist/ that no current source compiles to
 * (left behind by `tsc -b` when a source file is moved or deleted), which `npm pack` would
 * otherwise publish. Outputs of current sources (and their maps) are kept, so this is safe to run
 * on a workspace in use. CLI: `node --import tsx tools/publish/prune-dist.ts` prints what it removed.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackageInfo, publishablePackages } from './package-files.js';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Outputs `tsc` writes for `src/<stem>.ts`. */
const outputsOf = (stem: string) => [`${stem}.js`, `${stem}.js.map`, `${stem}.d.ts`, `${stem}.d.ts.map`];

/** Deletes the stale files of `pkg`'s dist/; returns their paths relative to the package. */
export function pruneDist(pkg: PackageInfo): string[] {
  const src = join(pkg.dir, 'src');
  const dist = join(pkg.dir, 'dist');
  const keep = new Set(['.tsbuildinfo']);
  for (const file of walk(src)) {
    const rel = relative(src, file).split('\\').join('/');
    if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) for (const o of outputsOf(rel.slice(0, -3))) keep.add(o);
  }
  const removed: string[] = [];
  for (const file of walk(dist)) {
    const rel = relative(dist, file).split('\\').join('/');
    if (!keep.has(rel)) {
      rmSync(file);
      removed.push(`dist/${rel}`);
    }
  }
  return removed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const pkg of publishablePackages()) {
    for (const f of pruneDist(pkg)) process.stdout.write(`removed ${pkg.json.name} ${f}\n`);
  }
}
