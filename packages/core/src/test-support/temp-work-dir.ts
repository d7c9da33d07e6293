/**
 * A temporary folder for one test file: made before its tests, removed after them, with
 * `env.cacheDir` pointed at its `cache` subfolder meanwhile (and restored after), so the file's
 * data indexes land there. Call at the top level of a test file; read `path` in tests and hooks.
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { env } from '../env.js';
import { tempDir } from './temp-dirs.js';

export function tempWorkDir(prefix: string): { readonly path: string } {
  const work = tempDir(prefix);
  let saved: string | undefined;
  beforeAll(() => {
    saved = env.cacheDir;
    env.cacheDir = join(work.path, 'cache');
  });
  afterAll(() => {
    env.cacheDir = saved;
  });
  return work;
}
