/**
 * The packed packages install into an empty project and the quick start runs against them.
 * Slow (a build, npm pack, an npm install from the registry), so not in `npm test`: it runs as
 * `npm run test:publish`, a named job that CI runs after `npm test`.
 */
import { describe, expect, it } from 'vitest';
import { FAST_BACKEND_FIX, findOpenBlas } from '../../packages/backend-native/scripts/find-openblas.mjs';
import { installSmoke } from './install-smoke.js';
import { publishablePackages } from './package-files.js';

/** `@autodidact/core` 0.1.0 -> `autodidact-core-0.1.0.tgz`, as npm pack names it. */
const tarballName = (name: string, version: string) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

describe('install smoke', () => {
  it('installs the tarball of every workspace package into an empty project; the bins run; the quick start trains 20 steps and embeds', () => {
    const packages = publishablePackages();
    const lines: string[] = [];
    const r = installSmoke({ log: (l) => lines.push(l) });
    console.log(`install smoke seconds: ${JSON.stringify(r.seconds)}; quick start ${JSON.stringify(r.quickStart)}`);
    expect(r.tarballs).toEqual(packages.map((p) => tarballName(p.json.name, p.json.version)).sort());
    expect(r.bins.sort()).toEqual(
      packages.flatMap((p) => (typeof p.json.bin === 'object' ? Object.keys(p.json.bin) : [])).sort(),
    );
    expect(r.quickStart.steps).toBe(20);
    expect(r.quickStart.embeddings).toEqual([512, 32]);
    expect(r.quickStart.finite).toBe(true);
    expect(r.quickStart.finalLoss).toBeLessThan(r.quickStart.firstLoss);
    // where the machine can build the addon, the packed install must have compiled it
    if (findOpenBlas().buildable) expect(r.quickStart.backend, FAST_BACKEND_FIX).toBe('native');
  }, 900_000);
});
