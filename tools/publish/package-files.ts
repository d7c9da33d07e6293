/**
 * What each publishable package's tarball must hold, derived from the package itself: the
 * compiled form of every non-test source file (`src/x.ts` -> `dist/x.js` + `dist/x.d.ts`; source
 * maps are left out because they point at `src/`, which is not published), README.md, LICENSE,
 * package.json, the `bin` scripts, and for a package that compiles an addon at install time
 * (`gypfile` / an `install` script) its binding.gyp, the sources binding.gyp lists and the
 * install script with the modules beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The fields of package.json read here. */
export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  gypfile?: boolean;
  bin?: string | Record<string, string>;
  main?: string;
  types?: string;
  /** Subpath -> target, or nested conditions (`source`, `browser`, `node`, `types`, `import`) -> target. */
  exports?: Record<string, unknown>;
  /** Package imports (`#name`), laid out as `exports`. */
  imports?: Record<string, unknown>;
  scripts?: Record<string, string>;
  files?: string[];
}

/** A publishable workspace package. */
export interface PackageInfo {
  dir: string;
  json: PackageJson;
}

/** Every non-private package under packages/. */
export function publishablePackages(): PackageInfo[] {
  const root = join(REPO, 'packages');
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'package.json')))
    .map((d) => ({
      dir: join(root, d),
      json: JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')) as PackageJson,
    }))
    .filter((p) => !p.json.private)
    .sort((a, b) => a.json.name.localeCompare(b.json.name));
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const norm = (p: string) => p.replace(/^\.\//, '');

/** The files the tarball of `pkg` must hold, sorted. */
export function expectedPackFiles(pkg: PackageInfo): string[] {
  const out = new Set(['package.json', 'README.md', 'LICENSE']);
  for (const file of walk(join(pkg.dir, 'src'))) {
    const rel = relative(join(pkg.dir, 'src'), file).split('\\').join('/');
    if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
    if (/\.(test|bench)\.ts$/.test(rel) || rel.split('/').includes('test-support')) continue;
    const stem = rel.slice(0, -'.ts'.length);
    out.add(`dist/${stem}.js`);
    out.add(`dist/${stem}.d.ts`);
  }
  const bin = pkg.json.bin;
  for (const b of typeof bin === 'string' ? [bin] : Object.values(bin ?? {})) out.add(norm(b));
  if (pkg.json.gypfile || pkg.json.scripts?.install) {
    out.add('binding.gyp');
    type Target = { sources: string[] };
    const gyp = JSON.parse(readFileSync(join(pkg.dir, 'binding.gyp'), 'utf8')) as {
      targets: Target[];
      conditions?: [string, { targets?: Target[] }, { targets?: Target[] }?][];
    };
    // targets built always and those built under a condition (the JPEG module, where libjpeg is)
    const targets = [
      ...gyp.targets,
      ...(gyp.conditions ?? []).flatMap(([, yes, no]) => [...(yes.targets ?? []), ...(no?.targets ?? [])]),
    ];
    for (const t of targets) {
      for (const s of t.sources) {
        out.add(norm(s));
        // the local headers a source includes (`#include "x.h"`), which the install's compile needs
        const text = readFileSync(join(pkg.dir, s), 'utf8');
        for (const m of text.matchAll(/^#include\s+"([^"]+)"/gm)) {
          out.add(
            norm(
              join(dirname(s), m[1] as string)
                .split('\\')
                .join('/'),
            ),
          );
        }
      }
    }
    // the install script and the modules beside it (what it imports, the install report)
    const script = /\bnode\s+(\S+)/.exec(pkg.json.scripts?.install ?? '')?.[1];
    if (script) {
      const dir = dirname(norm(script));
      for (const f of readdirSync(join(pkg.dir, dir))) if (f.endsWith('.mjs')) out.add(`${dir}/${f}`);
    }
  }
  return [...out].sort();
}

/** What `npm pack --dry-run` would put into the tarball of `pkg`, sorted. */
export function packFileList(pkg: PackageInfo): string[] {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkg.dir,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm pack --dry-run in ${pkg.dir} failed:\n${run.stderr}`);
  const [report] = JSON.parse(run.stdout) as { files: { path: string }[] }[];
  return report!.files.map((f) => f.path).sort();
}
