/**
 * A corpus of any size: tokenised once into a binary token file in the cache (reused, rebuilt
 * when a file or the tokenizer changes), windows read by offset (tiles for evaluation, seeded
 * random offsets for training), memory and stream modes bit for bit the same, the vocabulary
 * trained on a bounded sample, and bad inputs (truncated, empty, changed after indexing) counted
 * as skips instead of ending a run.
 */
import { readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnyDataset, initBackend, type LoadOptions, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../methods/registry.js';
import { modality } from '../modality.js';
import { readFileLines } from '../tokenize/corpus-reader.js';
import { setActiveTokenizer } from './active-tokenizer.js';
import { corpusSample, tokenizerForCorpus } from './corpus-tokenizer.js';
import { tokenFileFor } from './token-file.js';
import { windowsOfTexts } from './token-windows.js';
import { tempWorkDir } from '../../../core/src/test-support/temp-work-dir.js';
import { asStreaming } from '../../../core/src/test-support/dataset-values.js';
import { writeFolder } from '../../../core/src/test-support/write-folder.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});
const work = tempWorkDir('autodidact-token-file-');
beforeEach(() => setActiveTokenizer(undefined as never));

const prose = (seed: number, lines = 40) =>
  Array.from(
    { length: lines },
    (_, i) => `Line ${i + seed}: the ${(i + seed) % 3 ? 'river' : 'mill'} turned ${i % 5 ? 'slowly' : 'fast'}.`,
  ).join('\n');

const corpus = (name: string, files: Record<string, string | Buffer>) => writeFolder(join(work.path, name), files);

/** Silent load options: windows of `contextLength` tokens over a 300-token vocabulary, read in `dataMode`. */
const quietLoad = (contextLength: number, dataMode: 'memory' | 'stream'): LoadOptions => ({
  loader: { contextLength, vocabSize: 300 },
  dataMode,
  log: () => undefined,
});

async function batch(ds: AnyDataset<tf.Tensor>, indices: number[], seed?: number): Promise<number[][]> {
  const t = await asStreaming(ds).loadBatch({ indices, ...(seed === undefined ? {} : { seed }) });
  const v = (await t.array()) as number[][];
  t.dispose();
  return v;
}

describe('text token file', () => {
  it('tokenises once, tiles like the in-memory windows, and is rebuilt when a file or the tokenizer changes', async () => {
    const root = await corpus('tiles', { 'a.txt': prose(0), 'b.txt': prose(7), 'c.txt': prose(3, 5) });
    const lines: string[] = [];
    const o: LoadOptions = { loader: { contextLength: 16, vocabSize: 300 }, log: (l) => lines.push(l) };
    const ds = await modality.loadUnlabeled(root, o);
    const t = (await import('./active-tokenizer.js')).activeTokenizer()!;
    // The windows the in-memory loader always cut, from the same tokenizer.
    const docs: number[][] = [];
    for (const f of ['a.txt', 'b.txt', 'c.txt']) {
      const ids: number[] = [];
      for await (const line of readFileLines(join(root, f))) ids.push(...t.tokenizer.encode(`${line}\n`));
      docs.push(ids);
    }
    const expected = windowsOfTexts(docs, { contextLength: 16, eosId: t.eosId, padId: t.padId });
    expect(ds.size).toBe(expected.length / 16);
    const all = await batch(
      ds,
      Array.from({ length: ds.size }, (_, i) => i),
    );
    expect(Int32Array.from(all.flat())).toEqual(expected);
    await asStreaming(ds).close();
    expect(lines.some((l) => l.startsWith('tokenised 3 file(s)'))).toBe(true);

    // Reused: nothing tokenised again.
    const first = await tokenFileFor(root, [join(root, 'a.txt'), join(root, 'b.txt'), join(root, 'c.txt')], t);
    expect(first.built).toBe(false);
    const bytes = await readFile(first.file);

    // A changed file (same size, other content) and a removed one: rebuilt, the old file gone.
    await writeFile(join(root, 'a.txt'), prose(0).replace('river', 'rover'));
    lines.length = 0;
    setActiveTokenizer(t);
    const changed = asStreaming(await modality.loadUnlabeled(root, o));
    expect(lines.some((l) => /index of .* updated: 1 changed \(a\.txt\)/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('tokenised 3 file(s)'))).toBe(true);
    await changed.close();
    const rebuilt = await tokenFileFor(root, [join(root, 'a.txt'), join(root, 'b.txt'), join(root, 'c.txt')], t);
    expect(rebuilt.built).toBe(false);
    expect(rebuilt.file).not.toBe(first.file);
    await expect(stat(first.file)).rejects.toThrow(/ENOENT/);
    expect(Buffer.compare(await readFile(rebuilt.file), bytes)).not.toBe(0);
    await unlink(join(root, 'c.txt'));
    setActiveTokenizer(t);
    lines.length = 0;
    const fewer = asStreaming(await modality.loadUnlabeled(root, o));
    expect(lines.some((l) => /1 removed \(c\.txt\)/.test(l))).toBe(true);
    expect(fewer.size).toBeLessThan(ds.size);
    await fewer.close();

    // Another tokenizer: another token file.
    const other = await tokenizerForCorpus([root], { vocabSize: 280 });
    const files = [join(root, 'a.txt'), join(root, 'b.txt')];
    const mine = await tokenFileFor(root, files, t);
    const theirs = await tokenFileFor(root, files, other);
    expect(theirs.built).toBe(true);
    expect(theirs.file).not.toBe(mine.file);
  });

  it('memory and stream modes give the same batches bit for bit; training draws are random windows of the stream', async () => {
    const root = await corpus('modes', { 'a.txt': prose(0, 80), 'b.txt': prose(5, 80) });
    const mem = asStreaming(await modality.loadUnlabeled(root, quietLoad(24, 'memory')));
    const str = asStreaming(await modality.loadUnlabeled(root, quietLoad(24, 'stream')));
    expect(str.size).toBe(mem.size);
    const idx = [3, 0, mem.size - 1, 7, 7, 2];
    for (const seed of [undefined, 1, 2]) expect(await batch(str, idx, seed)).toEqual(await batch(mem, idx, seed));
    // A seeded window is a stretch of the id stream, near its tile, and not always the tile.
    const tiles = (
      await batch(
        mem,
        Array.from({ length: mem.size }, (_, i) => i),
      )
    ).flat();
    const drawn = await batch(mem, idx, 1);
    let shifted = 0;
    drawn.forEach((w, k) => {
      const start = tiles.findIndex((_, s) => w.every((id, j) => tiles[s + j] === id));
      expect(start).toBeGreaterThanOrEqual(0);
      expect(Math.abs(start - idx[k]! * 24)).toBeLessThan(24);
      if (start !== idx[k]! * 24) shifted++;
    });
    expect(shifted).toBeGreaterThan(0);
    expect(await batch(mem, idx, 1)).toEqual(drawn); // the same seed, the same windows
    expect(await batch(mem, idx, 2)).not.toEqual(drawn);
    await mem.close();
    await str.close();
  });

  it('a causal LM trains to the same losses and weights, bit for bit, from memory and from data workers', async () => {
    const root = await corpus('fit', { 'a.txt': prose(0, 60), 'b.txt': prose(4, 60) });
    const spec = methods.get('clm');
    const run = async (dataMode: 'memory' | 'stream') => {
      const ds = asStreaming(await modality.loadUnlabeled(root, quietLoad(16, dataMode)));
      const tensors = tf.memory().numTensors;
      const m = spec.create({
        sampleShape: [16],
        options: { ...spec.defaults, dim: 16, layers: 1, heads: 2 },
        rng: new Rng(1),
      });
      // 8 steps of 16 over a few dozen windows: crosses epoch ends, each batch a seeded draw.
      const trainer = new Trainer(m, { ...spec.trainerDefaults, batchSize: 16, steps: 8, seed: 3, quiet: true });
      const r = await trainer.fit(ds);
      trainer.optimizer?.dispose();
      const weights = [...m.stateVariables()].map(([k, v]) => [k, Array.from(v.dataSync())] as const);
      m.dispose();
      expect(tf.memory().numTensors, dataMode).toBe(tensors);
      await ds.close();
      return { losses: r.lossHistory, weights, size: ds.size };
    };
    const mem = await run('memory');
    const str = await run('stream');
    expect(mem.size).toBeLessThan(16 * 8); // more than one epoch
    expect(str.losses).toEqual(mem.losses);
    expect(str.weights).toEqual(mem.weights);
  });

  it('trains the vocabulary on a bounded, evenly spread sample of a large corpus', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 8; f++) files[`part-${f}.txt`] = prose(f * 1000, 400).replace(/Line/g, `Part${f}`);
    const root = await corpus('sample', files);
    const paths = Object.keys(files).map((f) => join(root, f));
    const sample = await corpusSample(paths, 16_384);
    expect(sample.bytes).toBeLessThanOrEqual(16_384);
    expect(sample.bytes).toBeGreaterThan(8_000);
    // Whole lines from the first and the last file, not only the head of the corpus.
    for (const f of [0, 7]) expect(sample.lines.some((l) => l.startsWith(`Part${f} `))).toBe(true);
    expect(sample.lines.every((l) => /^Part\d \d+: the (river|mill) turned (slowly|fast)\.$/.test(l))).toBe(true);
    const cacheDir = join(work.path, 'tok-cache');
    await tokenizerForCorpus([root], { vocabSize: 300, cacheDir, sampleBytes: 16_384 });
    const [entry] = await (await import('node:fs/promises')).readdir(cacheDir);
    const written = JSON.parse(await readFile(join(cacheDir, entry!), 'utf8'));
    expect(written.corpus).toMatchObject({ files: 8, bytes: sample.bytes, sha256: sample.sha256, sampled: true });
  });
});

describe('text token file: bad inputs', () => {
  it('truncated UTF-8 and empty files are counted skips; their ids are left out', async () => {
    const root = await corpus('bad', {
      'a.txt': prose(0),
      'b-cut.txt': Buffer.concat([Buffer.from(prose(1)), Buffer.from([0xe2, 0x82])]),
      'c-empty.txt': '',
      'd.txt': prose(2),
    });
    const lines: string[] = [];
    // The vocabulary comes from a tokenizer.json-free corpus of the good files only.
    const good = await corpus('bad-good', { 'a.txt': prose(0), 'd.txt': prose(2) });
    const t = await tokenizerForCorpus([good], { vocabSize: 300 });
    setActiveTokenizer(t);
    const ds = asStreaming(
      await modality.loadUnlabeled(root, { loader: { contextLength: 16 }, log: (l) => lines.push(l) }),
    );
    expect(lines.at(-1)).toBe(`${root}: skipped 2 of 4 text files (1 empty, 1 truncated)`);
    setActiveTokenizer(t);
    const clean = asStreaming(
      await modality.loadUnlabeled(good, { loader: { contextLength: 16 }, log: () => undefined }),
    );
    expect(ds.size).toBe(clean.size);
    const all = Array.from({ length: ds.size }, (_, i) => i);
    expect(await batch(ds, all)).toEqual(await batch(clean, all));
    await ds.close();
    await clean.close();
    // Reused token file: the same skips are reported again.
    lines.length = 0;
    setActiveTokenizer(t);
    const again = asStreaming(
      await modality.loadUnlabeled(root, { loader: { contextLength: 16 }, log: (l) => lines.push(l) }),
    );
    expect(lines.filter((l) => l.startsWith('skipped '))).toHaveLength(2);
    expect(lines.at(-1)).toBe(`${root}: skipped 2 of 4 text files (1 empty, 1 truncated)`);
    await again.close();
  });

  it('a corpus file changed or removed during a run does not touch it; a token file cut short is one named error, rebuilt on the next load', async () => {
    const root = await corpus('cut', { 'a.txt': prose(0, 200), 'b.txt': prose(9, 50) });
    const ds = asStreaming(await modality.loadUnlabeled(root, quietLoad(16, 'stream')));
    const t = (await import('./active-tokenizer.js')).activeTokenizer()!;
    const idx = [0, 1, ds.size - 1];
    const before = await batch(ds, idx, 3);
    // The run reads the token file, so the corpus changing under it changes nothing.
    await writeFile(join(root, 'a.txt'), prose(100, 10));
    await unlink(join(root, 'b.txt'));
    expect(await batch(ds, idx, 3)).toEqual(before);
    expect(ds.skipped).toHaveLength(0);
    // The cache's own file damaged: one line naming it, no stack of skips.
    const file = await tokenFileFor(root, [join(root, 'a.txt')], t);
    await truncate(file.file, 64);
    const d2 = await tokenFileFor(root, [join(root, 'a.txt')], t);
    expect(d2.built).toBe(true);
    await ds.close();
    setActiveTokenizer(t);
    const fresh = asStreaming(
      await modality.loadUnlabeled(root, { loader: { contextLength: 16 }, dataMode: 'stream', log: () => undefined }),
    );
    expect(await batch(fresh, [0])).toHaveLength(1);
    expect((await stat(d2.file)).size).toBe(d2.count * 2);
    await truncate(d2.file, 64);
    await expect(fresh.loadBatch({ indices: [fresh.size - 1] })).rejects.toThrow(
      /token file changed since it was written \(\d+ bytes then, 64 now\); it is rebuilt on the next load/,
    );
    await fresh.close();
    setActiveTokenizer(t);
    const rebuilt = asStreaming(
      await modality.loadUnlabeled(root, { loader: { contextLength: 16 }, dataMode: 'stream', log: () => undefined }),
    );
    expect(await batch(rebuilt, [0])).toHaveLength(1);
    await rebuilt.close();
  });
});
