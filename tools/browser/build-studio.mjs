#!/usr/bin/env node
/**
 * Builds the studio page (examples/studio) with esbuild into examples/studio/dist/: index.html,
 * main.js (the page) and worker.js (tfjs, core, vision: the training worker), minified, for the
 * browser with the workspace's source entries. Prints the bundle sizes.
 *
 *   node tools/browser/build-studio.mjs [--out <dir>]
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STUDIO = join(REPO, 'examples/studio');

/** Builds the page into `outdir`; returns the bytes (minified and gzipped) of each output file. */
export async function buildStudio(outdir = join(STUDIO, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(STUDIO, 'src/main.ts'), worker: join(STUDIO, 'src/worker.ts') },
    absWorkingDir: REPO,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    conditions: ['source'],
    outdir,
    logLevel: 'warning',
  });
  copyFileSync(join(STUDIO, 'index.html'), join(outdir, 'index.html'));
  const sizes = {};
  for (const f of ['index.html', 'main.js', 'worker.js']) {
    const bytes = readFileSync(join(outdir, f));
    sizes[f] = { bytes: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
  }
  return sizes;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const sizes = await buildStudio(i > 0 ? resolve(process.argv[i + 1]) : undefined);
  for (const [f, s] of Object.entries(sizes)) {
    console.log(`${f}: ${(s.bytes / 1024).toFixed(0)} KiB minified, ${(s.gzip / 1024).toFixed(0)} KiB gzipped`);
  }
}
