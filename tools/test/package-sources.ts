/**
 * The package sources the repository's rule tests scan: every `.ts` file under
 * `packages/<name>/src`, repo-relative with forward slashes, sorted; tests (`*.test.ts`) and
 * type declarations left out, and no file under a folder named in `skipFolders`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packageSources(skipFolders: readonly string[] = []): string[] {
  const skip = new Set(['node_modules', 'dist', ...skipFolders]);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skip.has(e.name)) walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        out.push(relative(repo, p).split('\\').join('/'));
      }
    }
  };
  for (const pkg of readdirSync(join(repo, 'packages'), { withFileTypes: true })) {
    if (pkg.isDirectory()) {
      const src = join(repo, 'packages', pkg.name, 'src');
      try {
        walk(src);
      } catch {
        // a package without src/ has nothing to scan
      }
    }
  }
  return out.sort();
}
