/**
 * A temporary folder for one test file: made before its tests, removed after them, with
 * `env.cacheDir` pointed at its `cache` subfolder meanwhile (and restored after), so the file's
 * data indexes land there. Call at the top level of a test file; read `path` in tests and hooks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '../env.js';
import { afterAll, beforeAll } from 'vitest';

export function tempWorkDir(prefix: string): { readonly path: string } {
  const work = { path: '' };
  let saved: string | undefined;
  beforeAll(() => {
    work.path = mkdtempSync(join(tmpdir(), prefix));
    saved = env.cacheDir;
    env.cacheDir = join(work.path, 'cache');
  });
  afterAll(() => {
    env.cacheDir = saved;
    rmSync(work.path, { recursive: true, force: true });
  });
  return work;
}
