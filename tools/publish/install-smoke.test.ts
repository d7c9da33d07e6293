/**
 * The packed packages install into an empty project and the quick start runs against them.
 * Slow (a build, npm pack, an npm install from the registry): runs only with
 * AUTODIDACT_PUBLISH_TEST=1 (`AUTODIDACT_PUBLISH_TEST=1 npx vitest run tools/publish/install-smoke.test.ts`).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installSmoke, mnistImages } from './install-smoke.js';

const enabled = process.env.AUTODIDACT_PUBLISH_TEST === '1';
if (!enabled) console.warn('skipping the install smoke test: set AUTODIDACT_PUBLISH_TEST=1 to run it');
if (enabled && !existsSync(mnistImages())) console.warn(`skipping the install smoke test: ${mnistImages()} is missing`);

describe.skipIf(!enabled || !existsSync(mnistImages()))('install smoke', () => {
  it('installs the tarballs into an empty project; the quick start trains 20 steps and embeds', () => {
    const lines: string[] = [];
    const r = installSmoke({ log: (l) => lines.push(l) });
    console.log(`install smoke seconds: ${JSON.stringify(r.seconds)}; quick start ${JSON.stringify(r.quickStart)}`);
    expect(r.tarballs).toHaveLength(6);
    expect(r.quickStart.steps).toBe(20);
    expect(r.quickStart.embeddings).toEqual([512, 32]);
    expect(r.quickStart.finite).toBe(true);
    expect(r.quickStart.finalLoss).toBeLessThan(r.quickStart.firstLoss);
    // where the native backend is required (CI), the addon must have been compiled at install
    if (process.env.AUTODIDACT_REQUIRE_NATIVE === '1') expect(r.quickStart.backend).toBe('native');
  }, 900_000);
});
