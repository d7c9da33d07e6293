import { closeSync, mkdirSync, openSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BadFiles, closeDataset, InlineBatchLoader, isStreaming, readBatch } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../test-support/fixtures.js';
import { openWavCrops } from './open-wav-crops.js';
import { readWav } from './read-wav.js';
import { indexWavCrops } from './wav-crops-reader.js';
import { tempWorkDir } from '../../../core/src/test-support/temp-work-dir.js';
import { batchValues } from '../../../core/src/test-support/dataset-values.js';

/** A chirp with noise-like detail per channel, in wavefile's convention for `bitDepth`. */
function signal(frames: number, channels: number, bitDepth: string, seed: number): number[][] {
  const full = bitDepth === '32f' ? 1 : bitDepth === '8' ? 127 : 2 ** (Number(bitDepth) - 1) - 1;
  return Array.from({ length: channels }, (_, c) =>
    Array.from({ length: frames }, (_, t) => {
      const v = 0.6 * Math.sin(0.0002 * t * t * (1 + c) + seed) + 0.3 * Math.sin(t * 0.37 * (seed + 1));
      const x = Math.round(v * full * 1e6) / 1e6;
      return bitDepth === '32f' ? x : bitDepth === '8' ? Math.round(128 + v * full) : Math.round(v * full);
    }),
  );
}

const work = tempWorkDir('autodidact-wav-crops-');

describe('WAV crops read by offset', () => {
  const RATE = 16000;
  const CROP = 4000; // 0.25 s
  const files: [string, string, number, number, string][] = [
    // class, name, rate, channels, bit depth
    ['a', 'stereo-22050-16.wav', 22050, 2, '16'],
    ['a', 'mono-44100-float.wav', 44100, 1, '32f'],
    ['b', 'tri-8000-24.wav', 8000, 3, '24'],
    ['b', 'mono-16000-8.wav', 16000, 1, '8'],
    ['b', 'short-48000-32.wav', 48000, 1, '32'],
  ];
  let root = '';
  beforeAll(() => {
    root = join(work.path, 'long');
    for (const [i, [cls, name, rate, ch, bits]] of files.entries()) {
      mkdirSync(join(root, cls), { recursive: true });
      const seconds = name.startsWith('short') ? 0.1 : 1.3 + 0.2 * i;
      writeFileSync(join(root, cls, name), wavBytes(signal(Math.round(seconds * rate), ch, bits, i), rate, bits));
    }
  });

  it('each evaluation crop equals the same span of the whole file decoded and resampled (bit for bit); a short file is centred in zeros', async () => {
    const ds = await openWavCrops(root, {
      sampleRate: RATE,
      cropSamples: CROP,
      dataMode: 'memory',
      workers: 0,
      badFiles: new BadFiles(),
    });
    let at = 0;
    const labels: number[] = [];
    const all = await batchValues(
      ds,
      Array.from({ length: ds.size }, (_, i) => i),
    );
    for (const [cls, name] of [...files].sort((x, y) => `${x[0]}/${x[1]}`.localeCompare(`${y[0]}/${y[1]}`))) {
      const whole = (await readWav(join(root, cls, name), { sampleRate: RATE })).samples;
      const crops = Math.max(1, Math.floor(whole.length / CROP));
      for (let k = 0; k < crops; k++) {
        const got = all.subarray((at + k) * CROP, (at + k + 1) * CROP);
        if (whole.length >= CROP) {
          expect(Array.from(got), `${name} crop ${k}`).toEqual(Array.from(whole.subarray(k * CROP, (k + 1) * CROP)));
        } else {
          const pad = (CROP - whole.length) >> 1;
          expect(Array.from(got.subarray(pad, pad + whole.length)), name).toEqual(Array.from(whole));
          expect(got.subarray(0, pad).every((v) => v === 0)).toBe(true);
        }
      }
      at += crops;
      for (let k = 0; k < crops; k++) labels.push(cls === 'a' ? 0 : 1);
    }
    expect(ds.size).toBe(at);
    expect(Array.from(ds.labels!)).toEqual(labels);
    await closeDataset(ds);
  });

  it('a training draw is a seeded random crop anywhere in the file, the same for the same seed', async () => {
    const name = 'stereo-22050-16.wav';
    const whole = (await readWav(join(root, 'a', name), { sampleRate: RATE })).samples;
    const loader = await InlineBatchLoader.open(
      (await indexWavCrops(join(root, 'a'), [join(root, 'a', name)], { sampleRate: RATE, cropSamples: CROP })).spec,
    );
    const starts = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = await loader.load({ indices: [0], seed });
      const b = await loader.load({ indices: [0], seed });
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
      // find where the crop sits in the whole-file decode: it must be an exact span
      const first = a.data[0]!;
      let found = -1;
      for (let s = 0; s + CROP <= whole.length && found < 0; s++) {
        if (whole[s] === first && whole[s + 1] === a.data[1] && whole[s + 7] === a.data[7]) {
          if (Array.from(whole.subarray(s, s + CROP)).every((v, j) => v === a.data[j])) found = s;
        }
      }
      expect(found, `seed ${seed}`).toBeGreaterThanOrEqual(0);
      starts.add(found);
    }
    expect(starts.size).toBeGreaterThan(2);
    await loader.close();
  });

  it('memory and stream give the same values and labels bit for bit', async () => {
    const open = (dataMode: 'memory' | 'stream') =>
      openWavCrops(root, {
        sampleRate: RATE,
        cropSamples: CROP,
        requireLabels: true,
        dataMode,
        workers: 1,
        badFiles: new BadFiles(),
      });
    const mem = await open('memory');
    const str = await open('stream');
    expect(isStreaming(mem)).toBe(false);
    expect(isStreaming(str)).toBe(true);
    expect(str.size).toBe(mem.size);
    expect(Array.from(str.labels!)).toEqual(Array.from(mem.labels!));
    expect(str.classNames).toEqual(['a', 'b']);
    const idx = Array.from({ length: mem.size }, (_, i) => i);
    expect(Array.from(await batchValues(str, idx))).toEqual(Array.from(await batchValues(mem, idx)));
    await closeDataset(mem);
    await closeDataset(str);
  });

  it('a recording of hours is cropped without reading it whole (a sparse 2 GiB file)', async () => {
    const dir = join(work.path, 'huge');
    mkdirSync(dir);
    const file = join(dir, 'hours.wav');
    const dataBytes = 2 ** 31 - 64; // about 18.6 hours of 16 kHz 16-bit mono
    const header = Buffer.from(wavBytes([[0, 0]], 16000, '16').subarray(0, 44));
    header.writeUInt32LE(36 + dataBytes, 4);
    header.writeUInt32LE(dataBytes, 40);
    const fd = openSync(file, 'w');
    writeSync(fd, header, 0, 44, 0);
    const tone = Buffer.alloc(2 * 100);
    for (let t = 0; t < 100; t++) tone.writeInt16LE(1000 + t, 2 * t);
    writeSync(fd, tone, 0, tone.length, 44 + dataBytes - tone.length); // the last 100 samples
    closeSync(fd);
    truncateSync(file, 44 + dataBytes);
    const rss = process.memoryUsage().rss;
    const ds = await openWavCrops(dir, {
      sampleRate: 16000,
      cropSamples: 16000,
      dataMode: 'stream',
      workers: 0,
      badFiles: new BadFiles(),
    });
    expect(ds.size).toBe(Math.floor(dataBytes / 2 / 16000));
    const last = await batchValues(ds, [ds.size - 1]);
    // the last whole crop ends where the file's whole seconds end
    const endFrame = ds.size * 16000;
    const toneStart = dataBytes / 2 - 100;
    for (let j = 0; j < 16000; j++) {
      const frame = endFrame - 16000 + j;
      const want = frame >= toneStart ? (1000 + frame - toneStart) / 32768 : 0;
      if (last[j] !== Math.fround(want)) expect(last[j], `sample ${j}`).toBe(Math.fround(want));
    }
    await batchValues(ds, [0, 1000, 30000]);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 2 ** 20);
    await closeDataset(ds);
  });
});

describe('WAV crops: bad files', () => {
  it('not WAV, empty, truncated, changed and removed files are counted skips with their reason; strict stops naming the file', async () => {
    const root = join(work.path, 'bad');
    mkdirSync(root);
    const good = (seed: number) => wavBytes(signal(16000, 1, '16', seed), 16000, '16');
    for (let i = 0; i < 3; i++) writeFileSync(join(root, `good-${i}.wav`), good(i));
    writeFileSync(join(root, 'empty.wav'), '');
    writeFileSync(join(root, 'text.wav'), 'this is not audio');
    const cut = good(9);
    writeFileSync(join(root, 'cut.wav'), cut.subarray(0, cut.length >> 1));
    const header = good(8).subarray(0, 44);
    writeFileSync(join(root, 'header-only.wav'), Buffer.from(header).fill(0, 40, 44)); // an empty data chunk
    const lines: string[] = [];
    const bad = new BadFiles({ log: (l) => lines.push(l), unit: 'WAV files' });
    const ds = await openWavCrops(root, {
      sampleRate: 16000,
      cropSamples: 8000,
      dataMode: 'stream',
      workers: 1,
      badFiles: bad,
    });
    // good files give 2 crops each; each bad file 1 sample
    expect(ds.size).toBe(3 * 2 + 4);
    await batchValues(
      ds,
      Array.from({ length: ds.size }, (_, i) => i),
    );
    expect(bad.summary()).toBe('skipped 4 of 7 WAV files (2 empty, 1 truncated, 1 wrong format)');
    for (const f of ['empty.wav', 'text.wav', 'cut.wav', 'header-only.wav']) {
      expect(
        lines.filter((l) => l.startsWith(`skipped ${join(root, f)}: `)),
        f,
      ).toHaveLength(1);
    }
    // during the run: one file rewritten, one removed; their crops are skipped from then on
    writeFileSync(join(root, 'good-1.wav'), wavBytes(signal(14400, 1, '16', 5), 16000, '16'));
    unlinkSync(join(root, 'good-2.wav'));
    await batchValues(
      ds,
      Array.from({ length: ds.size }, (_, i) => i),
    );
    expect(lines.some((l) => l.startsWith(`skipped ${join(root, 'good-1.wav')}: changed since indexing`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`skipped ${join(root, 'good-2.wav')}: `))).toBe(true);
    await closeDataset(ds);

    // reopening: the index is stale and rebuilt for the changed and removed files
    const notes: string[] = [];
    const again = await openWavCrops(root, {
      sampleRate: 16000,
      cropSamples: 8000,
      dataMode: 'memory',
      workers: 0,
      badFiles: new BadFiles(),
      log: (l) => notes.push(l),
    });
    expect(notes.some((l) => /updated: 1 changed \(good-1\.wav\), 1 removed \(good-2\.wav\)/.test(l))).toBe(true);
    expect(again.size).toBe(2 + 1); // good-0's two crops and good-1's one (0.9 s now); bad files left out in memory
    await closeDataset(again);

    const strict = await openWavCrops(root, {
      sampleRate: 16000,
      cropSamples: 8000,
      dataMode: 'stream',
      workers: 1,
      badFiles: new BadFiles({ strict: true }),
    });
    const err = (await readBatch(strict, [0, 1, 2, 3]).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^\S+\.wav: /);
    expect(err.message).not.toContain('\n');
    await closeDataset(strict);
  });
});

describe('audio modality with --crop-seconds', () => {
  it('loadUnlabeled and loadLabeled open crops through core openDataset: streamed or in memory by --data-mode', async () => {
    const { modality } = await import('../modality.js');
    const root = join(work.path, 'modality');
    for (const cls of ['x', 'y']) {
      mkdirSync(join(root, cls), { recursive: true });
      writeFileSync(join(root, cls, 'long.wav'), wavBytes(signal(8000 * 3, 1, '16', cls.length), 8000, '16'));
    }
    const loader = { sampleRate: 8000, cropSeconds: 0.5 };
    const streamed = await modality.loadUnlabeled(root, { loader, dataMode: 'stream', log: () => {} });
    expect(isStreaming(streamed)).toBe(true);
    expect(streamed.size).toBe(12);
    expect(streamed.sampleShape).toEqual([4000]);
    const held = await modality.loadLabeled(root, { loader, dataMode: 'memory', log: () => {} });
    expect(isStreaming(held)).toBe(false);
    expect(Array.from(held.labels!)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(await batchValues(streamed, [3, 7]))).toEqual(Array.from(await batchValues(held, [3, 7])));
    await closeDataset(streamed);
    await closeDataset(held);
  });
});

describe('audio modality without --crop-seconds', () => {
  it('streams one clip per file (--data-mode stream), bit-identical to the whole-file loader in memory', async () => {
    const { modality } = await import('../modality.js');
    const root = join(work.path, 'clips');
    const made: [string, number, number, string, number][] = [
      ['a', 22050, 2, '16', 0.7],
      ['a', 44100, 1, '32f', 1.6],
      ['b', 8000, 1, '24', 0.3],
      ['b', 16000, 3, '8', 1.1],
    ];
    for (const [i, [cls, rate, ch, bits, seconds]] of made.entries()) {
      mkdirSync(join(root, cls), { recursive: true });
      writeFileSync(join(root, cls, `${i}.wav`), wavBytes(signal(Math.round(seconds * rate), ch, bits, i), rate, bits));
    }
    const loader = { sampleRate: 16000, clipSeconds: 0.9 };
    const held = await modality.loadLabeled(root, { loader, dataMode: 'memory', log: () => {} });
    const streamed = await modality.loadLabeled(root, { loader, dataMode: 'stream', log: () => {} });
    expect(isStreaming(held)).toBe(false);
    expect(isStreaming(streamed)).toBe(true);
    expect(streamed.size).toBe(4);
    expect(Array.from(streamed.labels!)).toEqual(Array.from(held.labels!));
    const all = [0, 1, 2, 3];
    expect(Array.from(await batchValues(streamed, all))).toEqual(Array.from(await batchValues(held, all)));
    // auto keeps this small set in memory
    const auto = await modality.loadUnlabeled(root, { loader, log: () => {} });
    expect(isStreaming(auto)).toBe(false);
    await closeDataset(held);
    await closeDataset(streamed);
    await closeDataset(auto);
  });
});
