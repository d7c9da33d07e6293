/**
 * Temporary folders for one test file or `describe` block, removed after its tests: `tempDir`
 * makes one before the tests, `tempDirs` makes them on demand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** One folder, made before the tests (`path` is set then) and removed after them. */
export function tempDir(prefix: string): { readonly path: string } {
  const dir = { path: '' };
  beforeAll(() => {
    dir.path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    rmSync(dir.path, { recursive: true, force: true });
  });
  return dir;
}

/** Makes a fresh folder named `<prefix>XXXXXX` under the system's temp folder each call; all are removed after the tests. */
export function tempDirs(): (prefix: string) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return async (prefix) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
