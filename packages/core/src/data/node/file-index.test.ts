import { stat, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { env } from '../../env.js';
import { isStreaming } from '../streaming-dataset.js';
import { cacheDirFor, cacheRoot } from './cache-dir.js';
import { openFileIndex } from './file-index.js';
import { indexFloat32Files } from './float32-files-reader.js';
import { openDataset } from './open-dataset.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const f32 = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('on-disk file index', () => {
  let dir: string;
  let root: string;
  const saved = { cacheDir: env.cacheDir, xdg: env.xdgCacheHome };
  beforeAll(async () => {
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir = await mkdtemp(join(repo, 'tmp', 'file-index-'));
  });
  afterAll(async () => {
    env.cacheDir = saved.cacheDir;
    env.xdgCacheHome = saved.xdg;
    await rm(dir, { recursive: true, force: true });
  });
  let n = 0;
  beforeEach(async () => {
    env.cacheDir = join(dir, `cache-${n}`);
    root = join(dir, `data-${n++}`);
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'a.f32'), f32(1, 2, 3, 4));
    await writeFile(join(root, 'sub', 'b.f32'), f32(5, 6));
    await writeFile(join(root, 'c.f32'), f32(7, 8, 9, 10, 11, 12));
    await writeFile(join(root, 'notes.txt'), 'not data');
  });

  it('lives in the per-user cache, keyed by the absolute path, readable by its owner only', async () => {
    env.cacheDir = undefined;
    env.xdgCacheHome = join(dir, 'xdg');
    expect(cacheRoot()).toBe(join(dir, 'xdg', 'autodidact'));
    env.xdgCacheHome = undefined;
    expect(cacheRoot().endsWith(join('.cache', 'autodidact'))).toBe(true);
    expect(cacheRoot().startsWith('/tmp')).toBe(false);
    env.cacheDir = join(dir, 'cache-x');
    const a = cacheDirFor('index/k', join(dir, 'one', 'photos'));
    const b = cacheDirFor('index/k', join(dir, 'two', 'photos'));
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, 'cache-x', 'index', 'k', 'photos-'))).toBe(true);
    const { report } = await indexFloat32Files(root, [2]);
    expect(report.file.startsWith(join(dir, 'cache-x', 'index', 'float32-files', 'data-'))).toBe(true);
    expect((await stat(join(report.file, '..'))).mode & 0o777).toBe(0o700);
  });

  it('builds once, then finds it fresh; a touch with the same content is not a change', async () => {
    const lines: string[] = [];
    const first = await indexFloat32Files(root, [2], { say: (l) => lines.push(l) });
    expect(first.report.status).toBe('built');
    expect(first.size).toBe(2 + 1 + 3);
    expect(lines[0]).toMatch(/^indexed 3 files under /);
    const again = await indexFloat32Files(root, [2]);
    expect(again.report.status).toBe('fresh');
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'c.f32'), later, later);
    const touched = await indexFloat32Files(root, [2]);
    expect(touched.report).toMatchObject({ status: 'fresh', changed: [], removed: [], added: [] });
    // The new time was recorded, so a reader's per-read check accepts the file.
    const ds = await openDataset({ reader: touched.spec, workers: 0, mode: 'stream', strict: true });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    const t = await ds.loadBatch({ indices: [4] }); // a.f32 (0, 1), c.f32 (2, 3, 4), sub/b.f32 (5)
    expect(Array.from(t.dataSync())).toEqual([11, 12]);
    t.dispose();
    await ds.close();
    // Another record shape is another index (params differ): rebuilt, not misread.
    expect((await indexFloat32Files(root, [3])).report.status).toBe('built');
  });

  it('rebuilds for changed, removed and added files, with one message', async () => {
    await indexFloat32Files(root, [2]);
    await writeFile(join(root, 'a.f32'), f32(1, 2, 3, 4, 5, 6)); // grew
    await rm(join(root, 'sub', 'b.f32'));
    await writeFile(join(root, 'd.f32'), f32(0, 0));
    const lines: string[] = [];
    const { report, size } = await indexFloat32Files(root, [2], { say: (l) => lines.push(l) });
    expect(report).toMatchObject({ status: 'updated', changed: ['a.f32'], removed: ['sub/b.f32'], added: ['d.f32'] });
    expect(size).toBe(3 + 3 + 1);
    expect(lines).toEqual([
      expect.stringMatching(/updated: 1 changed \(a\.f32\), 1 removed \(sub\/b\.f32\), 1 added; now 3 files$/),
    ]);
    const index = JSON.parse(await readFile(report.file, 'utf8'));
    expect(index.files.path).toEqual(['a.f32', 'c.f32', 'd.f32']);
  });

  it('a same-size rewrite is caught by the fingerprint', async () => {
    await indexFloat32Files(root, [2]);
    await writeFile(join(root, 'c.f32'), f32(7, 8, 9, 10, 11, 99));
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'c.f32'), later, later);
    expect((await indexFloat32Files(root, [2])).report).toMatchObject({ status: 'updated', changed: ['c.f32'] });
  });

  it('stale: skip keeps every sample index and turns changed or removed files into counted skips', async () => {
    const { spec } = await indexFloat32Files(root, [2]);
    await writeFile(join(root, 'a.f32'), f32(1, 2)); // shrank: samples 0 and 1 now unreadable
    await rm(join(root, 'sub', 'b.f32')); // sample 5 (sub/b.f32 sorts last) gone
    const lines: string[] = [];
    const stale = await indexFloat32Files(root, [2], { stale: 'skip', say: (l) => lines.push(l) });
    expect(stale.report).toMatchObject({ status: 'stale', changed: ['a.f32'], removed: ['sub/b.f32'] });
    expect(stale.size).toBe(6);
    expect(stale.spec).toEqual(spec);
    expect(lines[0]).toMatch(/is stale: 1 changed \(a\.f32\), 1 removed \(sub\/b\.f32\); their samples are skipped/);
    const skipped: string[] = [];
    const ds = await openDataset({
      reader: stale.spec,
      workers: 1,
      mode: 'stream',
      onSkip: (s) => skipped.push(s.message),
    });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    const t = await ds.loadBatch({ indices: [0, 1, 2, 5] });
    // 0 and 1 -> 2 (c.f32's first record); 5 -> wraps past the end to 0, 1 (bad) -> 2.
    expect(Array.from(t.dataSync())).toEqual([7, 8, 7, 8, 7, 8, 7, 8]);
    t.dispose();
    // Each unreadable sample is counted once (a.f32 held two).
    expect(skipped.sort()).toEqual([
      `${join(root, 'a.f32')}: changed since indexing (16 bytes then, 8 now)`,
      `${join(root, 'a.f32')}: changed since indexing (16 bytes then, 8 now)`,
      `${join(root, 'sub', 'b.f32')} record 0: no such file (removed after indexing?)`,
    ]);
    expect(ds.skipped.map((s) => s.index).sort()).toEqual([0, 1, 5]);
    await ds.close();
    // Strict: the same read is a one-line error naming the file.
    const strict = await openDataset({ reader: stale.spec, workers: 0, mode: 'stream', strict: true });
    if (!isStreaming(strict)) throw new Error('expected a streaming dataset');
    await expect(strict.loadBatch({ indices: [0] })).rejects.toThrow(`${join(root, 'a.f32')}: changed since indexing`);
    await strict.close();
  });

  it('a file changed while a run reads it is a counted skip from then on', async () => {
    const { spec } = await indexFloat32Files(root, [2]);
    const ds = await openDataset({ reader: spec, workers: 1, mode: 'stream', prefetch: 0 });
    if (!isStreaming(ds)) throw new Error('expected a streaming dataset');
    const first = await ds.loadBatch({ indices: [2, 0] }); // opens c.f32 and a.f32
    expect(Array.from(first.dataSync())).toEqual([7, 8, 1, 2]);
    first.dispose();
    await writeFile(join(root, 'c.f32'), f32(7, 8, 9, 10)); // rewritten mid-run, still open in the worker
    const second = await ds.loadBatch({ indices: [2, 3] });
    // c.f32's records (2, 3, 4) are unreadable now: both become 5 (sub/b.f32).
    expect(Array.from(second.dataSync())).toEqual([5, 6, 5, 6]);
    second.dispose();
    expect(ds.skipped.map((s) => s.message)).toContain(
      `${join(root, 'c.f32')}: changed since indexing (24 bytes then, 16 now)`,
    );
    await ds.close();
  });

  it('a truncated record or a non-finite value is a counted skip; a corrupt index file is rebuilt', async () => {
    await writeFile(join(root, 'c.f32'), new Uint8Array([...f32(7, 8, Number.NaN, 10, 11), 1, 2]));
    const { spec, size, report } = await indexFloat32Files(root, [2]);
    expect(size).toBe(2 + 1 + 3); // c.f32: 22 bytes -> 3 records, the last partial
    const skipped: string[] = [];
    const ds = await openDataset({ reader: spec, workers: 0, mode: 'memory', onSkip: (s) => skipped.push(s.message) });
    expect(isStreaming(ds)).toBe(false);
    expect(skipped).toEqual([
      `${join(root, 'c.f32')}: record 1 holds a non-finite value at element 0`,
      `${join(root, 'c.f32')}: record 2 is truncated (6 of 8 bytes)`,
    ]);
    const all = (ds as { getBatch(i: number[]): tf.Tensor }).getBatch([0, 1, 2, 3, 4, 5]);
    // Order: a.f32 (0, 1), c.f32 (2, 3, 4), sub/b.f32 (5); 3 -> 5 and 4 -> 5.
    expect(Array.from(all.dataSync())).toEqual([1, 2, 3, 4, 7, 8, 5, 6, 5, 6, 5, 6]);
    all.dispose();
    ds.dispose?.();
    await writeFile(report.file, '{"format": "autodidact-file-index", "version": 1, "files": ');
    expect((await indexFloat32Files(root, [2])).report.status).toBe('built');
  });

  it('custom listings and metadata, e.g. of a modality reader', async () => {
    const { index } = await openFileIndex({
      root,
      kind: 'notes',
      list: async () => ['notes.txt'],
      describe: async (path, size) => ({ size, text: (await readFile(path, 'utf8')).length }),
    });
    expect(index.paths).toEqual(['notes.txt']);
    expect(index.meta).toEqual([{ size: 8, text: 8 }]);
    expect(index.absolute(0)).toBe(join(root, 'notes.txt'));
    await expect(openFileIndex({ root, kind: 'Bad Kind' })).rejects.toThrow(/index\.kind: expected a lowercase name/);
  });
});
