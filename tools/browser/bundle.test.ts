/**
 * The browser entries: `@autodidact/core`, `vision`, `audio`, `text` and `genomics` resolved
 * under the `browser` condition bundle with esbuild for platform `browser` without any Node
 * built-in (a failure names the importing file and the chain to the entry), and every
 * `browser` target in the packages' manifests is the build output of the source it maps.
 * Logs the minified (and gzipped) bundle sizes; docs/browser.md quotes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages, REPO } from '../publish/package-files.js';
import { bundleForBrowser, describeNodeImports } from './bundle-for-browser.js';

const PORTABLE_PACKAGES = ['core', 'vision', 'audio', 'text', 'genomics'];
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

describe('the bundle check', () => {
  it('names the file that imports a Node built-in, through the files that lead to it', async () => {
    const found = await bundleForBrowser("export * from './tools/browser/fixtures/node-entry.js';", { cwd: REPO });
    expect(describeNodeImports(found.nodeImports).sort()).toEqual([
      'tools/browser/fixtures/node-entry.ts imports os',
      'tools/browser/fixtures/reads-file.ts imports node:fs (via tools/browser/fixtures/node-entry.ts)',
    ]);
    expect(found.errors).toEqual([]);
  });

  it('passes a module without Node built-ins and measures it', async () => {
    const found = await bundleForBrowser("export * from './tools/browser/fixtures/portable-entry.js';", { cwd: REPO });
    expect(found.nodeImports).toEqual([]);
    expect(found.errors).toEqual([]);
    expect(found.bytes).toBeGreaterThan(0);
    expect(found.bytes).toBeLessThan(200);
  });
});

describe('browser entries', () => {
  it.each(PORTABLE_PACKAGES)('@autodidact/%s bundles for a browser without Node built-ins', async (name) => {
    const found = await bundleForBrowser(`export * from '@autodidact/${name}';`, { cwd: REPO });
    expect(describeNodeImports(found.nodeImports)).toEqual([]);
    expect(found.errors).toEqual([]);
    console.log(`@autodidact/${name} browser bundle: ${kib(found.bytes)} minified, ${kib(found.gzipBytes)} gzipped`);
  });
});

/** Every string target under `entry`'s conditions, with the condition path that leads to it. */
function targets(entry: unknown, path: string[] = []): { path: string[]; target: string }[] {
  if (typeof entry === 'string') return [{ path, target: entry }];
  if (entry === null || typeof entry !== 'object') return [];
  return Object.entries(entry).flatMap(([k, v]) => targets(v, [...path, k]));
}

describe('manifests', () => {
  const portable = publishablePackages().filter((p) => PORTABLE_PACKAGES.includes(p.json.name.split('/')[1]!));

  it('cover the portable packages (self-check)', () => {
    expect(portable.map((p) => p.json.name.split('/')[1]).sort()).toEqual([...PORTABLE_PACKAGES].sort());
  });

  it.each(portable.map((p) => [p.json.name, p] as const))(
    '%s: "." has a browser entry, and each browser target is built from its source',
    (_, pkg) => {
      const json = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
        exports: Record<string, unknown>;
        imports?: Record<string, unknown>;
      };
      const dot = json.exports['.'] as Record<string, unknown>;
      expect(Object.keys(dot)).toContain('browser');
      for (const [key, entry] of [...Object.entries(json.exports), ...Object.entries(json.imports ?? {})]) {
        const all = targets(entry);
        const sourceBrowser = all.find((t) => t.path.join('.') === 'source.browser')?.target;
        const builtBrowser = all.filter((t) => t.path[0] === 'browser' && !t.path.includes('types'));
        if (sourceBrowser === undefined && builtBrowser.length === 0) continue;
        expect(sourceBrowser, `${key}: a source.browser target`).toBeDefined();
        expect(
          builtBrowser.map((t) => t.target),
          `${key}: browser targets`,
        ).toEqual([sourceBrowser!.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js')]);
        const types = all.find((t) => t.path.join('.') === 'browser.types')?.target;
        expect(types, `${key}: browser.types`).toBe(
          sourceBrowser!.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.d.ts'),
        );
      }
    },
  );
});
