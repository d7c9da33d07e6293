/**
 * A paired folder streams: reading a few batches of a folder of many pairs opens only those
 * batches' files (counted at node:fs, the calls every reader's open goes through), while the
 * in-memory mode opens every one; and a bad image or WAV skips its whole pair, the row holding the
 * next readable pair's image and partner together, never one pair's image with another's partner.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';
import { type AnyDataset, BadFiles, closeDataset, isStreaming, readBatch } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../core/src/test-support/temp-dirs.js';
import { writeFolder } from '../../../core/src/test-support/write-folder.js';
import { png, soundPairFiles } from '../test-support/pair-files.js';
import type { PairedBatch } from './paired-dataset.js';
import { openPairedFolder, type PairedFolderOptions } from './paired-folder.js';

const tempDir = tempDirs();

/** The sounds of the pairs made by `soundPairFiles`: 0.25 s at 4 kHz. */
const SOUND = { sampleRate: 4000, clipSeconds: 0.25 } as const;

/**
 * Records the files opened through node:fs (`openSync`, which core's data-file checks use for
 * every reader, and `readFileSync`) while installed: the real functions, counted.
 */
function countOpens(): { names: () => string[]; reset: () => void; restore: () => void } {
  const { openSync, readFileSync } = fs;
  let seen: string[] = [];
  const note = (p: unknown) => {
    if (typeof p === 'string') seen.push(basename(p));
  };
  fs.openSync = ((...args: Parameters<typeof openSync>) => {
    note(args[0]);
    return openSync(...args);
  }) as typeof openSync;
  fs.readFileSync = ((...args: Parameters<typeof readFileSync>) => {
    note(args[0]);
    return readFileSync(...args);
  }) as typeof readFileSync;
  syncBuiltinESMExports();
  return {
    names: () => [...seen],
    reset: () => {
      seen = [];
    },
    restore: () => {
      fs.openSync = openSync;
      fs.readFileSync = readFileSync;
      syncBuiltinESMExports();
    },
  };
}

/** The values of a batch of pairs (the batch freed). */
async function pairValues(
  ds: AnyDataset<PairedBatch>,
  indices: readonly number[],
): Promise<{ a: Float32Array; b: Float32Array }> {
  const batch = await readBatch(ds, indices);
  const out = { a: batch.a.dataSync() as Float32Array, b: batch.b.dataSync() as Float32Array };
  tf.dispose([batch.a, batch.b]);
  return out;
}

/** Rows `rows` of a `[n, ...]` batch's values, each `len` long. */
function rowsOf(values: Float32Array, len: number, rows: readonly number[]): number[] {
  return rows.flatMap((r) => Array.from(values.subarray(r * len, (r + 1) * len)));
}

describe('openPairedFolder streams', () => {
  it('k batches of a folder of n >> k pairs open only those batches and the announced one; in memory every pair is read', async () => {
    const n = 40;
    const root = await writeFolder(await tempDir('paired-stream-'), await soundPairFiles(n));
    const options: PairedFolderOptions = { ...SOUND, workers: 0, statsClips: 4, badFiles: new BadFiles() };
    // The first open builds the indexes (reading every WAV's header); opened again, they are fresh.
    await closeDataset((await openPairedFolder(root, { ...options, dataMode: 'stream' })).dataset);

    const fsCount = countOpens();
    try {
      const before = tf.memory();
      const { dataset } = await openPairedFolder(root, { ...options, dataMode: 'stream' });
      expect(isStreaming(dataset)).toBe(true);
      // Opening measured the spectrograms' spread on 4 evenly spaced clips and decoded no image.
      expect(fsCount.names().filter((f) => f.endsWith('.wav'))).toEqual(['p00.wav', 'p10.wav', 'p20.wav', 'p30.wav']);
      expect(fsCount.names().filter((f) => f.endsWith('.png'))).toEqual([]);
      expect(tf.memory().numBytes).toBe(before.numBytes); // no decoded set held
      fsCount.reset();

      if (!isStreaming(dataset)) throw new Error('expected a streaming dataset');
      const batch = (first: number) => ({ indices: [0, 1, 2, 3].map((k) => first + k) });
      for (const [at, next] of [
        [0, 4],
        [4, 8],
      ] as const) {
        const b = await dataset.loadBatch(batch(at), [batch(next)]);
        tf.dispose([b.a, b.b]);
      }
      await closeDataset(dataset);
      // Batches 0 and 1 read, batch 2 read ahead: pairs 0..11, each image and each sound once.
      const pairs = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      const opened = fsCount.names();
      expect(opened.filter((f) => f.endsWith('.png')).sort()).toEqual(pairs.map((p) => `${p}.png`));
      expect(opened.filter((f) => f.endsWith('.wav')).sort()).toEqual(pairs.map((p) => `${p}.wav`));
      expect(tf.memory().numTensors).toBe(before.numTensors);

      // The same folder in memory: every image is decoded while opening.
      fsCount.reset();
      const mem = await openPairedFolder(root, { ...options, dataMode: 'memory' });
      expect(isStreaming(mem.dataset)).toBe(false);
      expect(fsCount.names().filter((f) => f.endsWith('.png'))).toHaveLength(n);
      await closeDataset(mem.dataset);
    } finally {
      fsCount.restore();
    }
  });
});

describe('openPairedFolder: bad pairs', () => {
  it('a bad image or WAV skips its whole pair: the row holds the next pair, image and sound; memory and stream agree', async () => {
    const files: Record<string, string | Uint8Array> = await soundPairFiles(6);
    files['p02.wav'] = 'not a sound at all';
    files['p04.png'] = new Uint8Array(0);
    const root = await writeFolder(await tempDir('paired-bad-'), files);
    const read = async (dataMode: 'memory' | 'stream') => {
      const lines: string[] = [];
      const bad = new BadFiles({ log: (l) => lines.push(l), unit: 'pairs' });
      const { dataset, partner } = await openPairedFolder(root, { ...SOUND, dataMode, workers: 0, badFiles: bad });
      const all = await pairValues(dataset, [0, 1, 2, 3, 4, 5]);
      const good = await pairValues(dataset, [0, 1, 3, 3, 5, 5]);
      await closeDataset(dataset);
      return { all, good, lines, summary: bad.summary(), partner };
    };
    const stream = await read('stream');
    expect(stream.all.a).toEqual(stream.good.a);
    expect(stream.all.b).toEqual(stream.good.b);
    expect(stream.summary).toMatch(/^skipped 2 of 6 pairs \(/);
    expect(stream.lines.filter((l) => l.startsWith(`skipped ${join(root, 'p02.wav')}: `))).toHaveLength(1);
    expect(stream.lines).toContain(`skipped ${join(root, 'p04.png')}: empty file (0 bytes)`);
    const memory = await read('memory');
    expect(memory.all.a).toEqual(stream.all.a);
    expect(memory.all.b).toEqual(stream.all.b);
    expect(memory.summary).toBe(stream.summary);
    // Row 2 is pair 3 through and through: its image and its spectrogram, not pair 2's sound.
    const [frames, mels] = stream.partner.kind === 'audio' ? stream.partner.shape : [];
    const spec = frames! * mels!;
    expect(rowsOf(stream.all.b, spec, [2])).toEqual(rowsOf(stream.all.b, spec, [3]));
    expect(rowsOf(stream.all.b, spec, [2])).not.toEqual(rowsOf(stream.all.b, spec, [1]));
  });

  it('image + text: a bad image skips its pair, the text going with the replacement image; strict stops naming the file', async () => {
    const files: Record<string, string | Uint8Array> = {};
    for (let i = 0; i < 5; i++) {
      files[`t${i}.png`] = await png(i);
      files[`t${i}.txt`] = `pair number ${i} ${['left', 'right', 'up', 'down', 'away'][i]}`;
    }
    files['t1.png'] = 'not a picture at all';
    const root = await writeFolder(await tempDir('paired-bad-text-'), files);
    const { dataset, partner } = await openPairedFolder(root, {
      dataMode: 'stream',
      workers: 0,
      badFiles: new BadFiles(),
    });
    expect(partner.kind === 'text' && partner.vocab).toContain('Ġright'); // t1's text is in the vocabulary
    const all = await pairValues(dataset, [0, 1, 2]);
    const good = await pairValues(dataset, [0, 2, 2]);
    await closeDataset(dataset);
    expect(all.a).toEqual(good.a);
    expect(all.b).toEqual(good.b);

    const strict = await openPairedFolder(root, {
      dataMode: 'stream',
      workers: 0,
      badFiles: new BadFiles({ strict: true }),
    });
    const err = await readBatch(strict.dataset, [1]).catch((e: unknown) => e as Error);
    await closeDataset(strict.dataset);
    expect((err as Error).message).toMatch(
      new RegExp(`^${join(root, 't1.png').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('a text of white space only stops the load in one line naming it', async () => {
    const root = await writeFolder(await tempDir('paired-empty-text-'), {
      'a.png': await png(0),
      'a.txt': 'a bar',
      'b.png': await png(1),
      'b.txt': '  \n',
    });
    await expect(openPairedFolder(root, { workers: 0, badFiles: new BadFiles() })).rejects.toThrow(
      `${join(root, 'b.txt')}: no text (only white space)`,
    );
  });
});
