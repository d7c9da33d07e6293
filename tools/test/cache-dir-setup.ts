// Tests never write into the user's cache: data indexes and tokenizers built while a test file
// runs go to a private temporary folder (AUTODIDACT_CACHE_DIR, read when core is first imported,
// and inherited by the CLI children tests start), removed when the file's tests end. Tests of
// the default locations set `env.cacheDir` themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'autodidact-test-cache-'));
const saved = process.env.AUTODIDACT_CACHE_DIR;
process.env.AUTODIDACT_CACHE_DIR = dir;
afterAll(() => {
  if (saved === undefined) delete process.env.AUTODIDACT_CACHE_DIR;
  else process.env.AUTODIDACT_CACHE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});
