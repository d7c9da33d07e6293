/**
 * Each package's `npm pack` content is exactly its built files, README, LICENSE and
 * package.json (plus bin scripts, and the addon sources of a package that compiles at install):
 * no sources, tests, maps, build info or stale outputs of deleted sources; and everything the
 * package's entry points name is in it. Needs the build (`npm run build`, which `npm test` runs first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedPackFiles, packFileList, publishablePackages } from './package-files.js';

const packages = publishablePackages();
const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist', 'index.js'))).map((p) => p.json.name);
if (unbuilt.length) console.warn(`skipping the pack checks: not built (${unbuilt.join(', ')}); run npm run build`);

describe.skipIf(unbuilt.length > 0)('npm pack content', () => {
  it('covers every package', () => {
    expect(packages.map((p) => p.json.name)).toEqual(
      expect.arrayContaining(['@autodidact/core', '@autodidact/vision', '@autodidact/backend-native']),
    );
  });

  it.each(packages.map((p) => [p.json.name, p] as const))(
    '%s: exactly dist, README, LICENSE, package.json',
    (_, pkg) => {
      const packed = packFileList(pkg);
      // a failure lists what is extra (stale outputs of moved sources: node --import tsx tools/publish/prune-dist.ts)
      // and what is missing
      const expected = expectedPackFiles(pkg);
      expect({
        extra: packed.filter((f) => !expected.includes(f)),
        missing: expected.filter((f) => !packed.includes(f)),
      }).toEqual({ extra: [], missing: [] });
      // what the manifest points at is shipped (the `source` condition is for this workspace only)
      // (conditions nest: `browser` -> `types` / `default`; `#imports` are named the same way)
      const targets: unknown[] = [pkg.json.main, pkg.json.types];
      const collect = (entry: unknown): void => {
        if (typeof entry === 'string') targets.push(entry);
        else if (entry !== null && typeof entry === 'object') {
          for (const [cond, t] of Object.entries(entry)) if (cond !== 'source') collect(t);
        }
      };
      for (const entry of [...Object.values(pkg.json.exports ?? {}), ...Object.values(pkg.json.imports ?? {})]) {
        collect(entry);
      }
      for (const t of targets.filter((x): x is string => typeof x === 'string')) {
        expect(packed, `${pkg.json.name} names ${t}`).toContain(t.replace(/^\.\//, ''));
      }
    },
  );
});
