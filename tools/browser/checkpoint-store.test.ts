/**
 * The browser checkpoint store (core's `#checkpoint-files` under the `browser` condition:
 * IndexedDB), checked in Debian's chromium: a SimCLR run interrupted at step 3 and resumed from
 * IndexedDB ends with the same weights as an uninterrupted 6-step run; a checkpoint whose bytes
 * changed fails its sha256 and the previous one loads; a newer record the pointer never switched
 * to does not load. The page is tools/browser/fixtures/checkpoint-store-page.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../publish/package-files.js';
import { launchChromium, type StaticServer, serveFolder } from './chromium.js';

describe('checkpoints in IndexedDB (chromium)', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoint-store-'));
    await esbuild.build({
      entryPoints: [join(REPO, 'tools/browser/fixtures/checkpoint-store-page.ts')],
      absWorkingDir: REPO,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      conditions: ['source'],
      outfile: join(dir, 'page.js'),
      logLevel: 'silent',
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
    server = await serveFolder(dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes exactly, verifies checksums and never loads an unswitched write', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/`);
    await page.waitForFunction('typeof globalThis.checks === "function"');
    const r = (await page.evaluate('globalThis.checks()')) as Record<string, unknown>;
    expect(errors).toEqual([]);
    expect(r.straightSteps).toBe(6);
    expect(r.interruptedAt).toBe(3);
    expect(r.resumedFrom).toBe(3);
    expect(r.resumedSteps).toBe(6);
    expect(r.interruptedMaxDiff as number).toBeGreaterThan(0); // the comparison can fail
    expect(r.resumeMaxDiff).toBe(0);
    expect(r.damagedLoadedStep).toBe(1);
    expect(r.damagedSkipped).toEqual([
      'indexeddb:verify/step-000002: weights.bin does not match its sha256 in SHA256SUMS (corrupted)',
    ]);
    expect(r.atomicLoadedStep).toBe(4);
    expect(r.atomicSkipped).toBe(0);
    expect(r.atomicValues).toEqual([1, 2, 3]);
    expect(r.empty).toBe(true);
    expect(r.tensorsLeft).toBe(0);
  });
});
