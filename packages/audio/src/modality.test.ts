/**
 * The audio modality's loader as the CLI drives it: `--sample-rate` and `--clip-seconds`, the
 * one bad-file policy (skip with a warning per file and a summary line, or `strict`), a WAV with
 * a header and no samples counted as a bad file (not a second of silence), and symbolic links to
 * files and folders followed with loops left out. WAVs are made here.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@autodidact/core';
import { expectSkippedOnce, expectStrictStop, logTo } from '../../core/src/test-support/bad-file-policy.js';
import { tempWorkDir } from '../../core/src/test-support/temp-work-dir.js';
import { badFileFolders, loadWithLockedFile } from '../../core/src/test-support/unreadable-files.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WavDataset } from './io/wav-dataset.js';
import { modality } from './modality.js';
import { wavBytes } from './test-support/fixtures.js';

const work = tempWorkDir('autodidact-audio-modality-');
beforeAll(async () => {
  await initBackend({ quiet: true });
});

const tone = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('audio loader options', () => {
  it('--sample-rate and --clip-seconds set the clip: 0.5 s at 8 kHz is 4,000 samples', async () => {
    const dir = join(work.path, 'rates');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.wav'), wavBytes([tone(16000, 1000)], 16000, '16')); // 1 s at 16 kHz
    const ds = (await modality.loadUnlabeled(dir, { loader: { sampleRate: 8000, clipSeconds: 0.5 } })) as WavDataset;
    expect(ds.sampleShape).toEqual([4000]);
    const x = (await ds.inputs.data()) as Float32Array;
    expect(x[2000]).toBeCloseTo(1000 / 32768, 3); // resampled, centre-cropped: still the tone
    ds.dispose();
    const d = (await modality.loadUnlabeled(dir, {})) as WavDataset;
    expect(d.sampleShape).toEqual([16000]); // the defaults: 1 s at 16 kHz
    d.dispose();
  });
});

describe('audio bad files and links', () => {
  const bad = badFileFolders(work, 'wav', (root, elsewhere) => {
    writeFileSync(join(root, 'good-1.wav'), wavBytes([tone(800, 500)], 16000, '16'));
    writeFileSync(join(root, 'sub', 'good-2.wav'), wavBytes([tone(800, -500)], 16000, '16'));
    writeFileSync(join(elsewhere, 'linked-file.wav'), wavBytes([tone(800, 700)], 16000, '16'));
    writeFileSync(join(elsewhere, 'in-linked-folder.wav'), wavBytes([tone(800, 900)], 16000, '16'));
    symlinkSync(join(elsewhere, 'linked-file.wav'), join(root, 'good-3.wav')); // a symlinked file
    symlinkSync(elsewhere, join(root, 'linked-folder')); // a symlinked folder
    writeFileSync(join(root, 'empty.wav'), '');
    writeFileSync(join(root, 'header-only.wav'), wavBytes([[]], 16000, '16')); // fmt + an empty data chunk
    const full = wavBytes([tone(800, 300)], 16000, '16');
    writeFileSync(join(root, 'truncated.wav'), full.subarray(0, full.length - 400));
    writeFileSync(join(root, 'wrong.wav'), 'ID3 this is an mp3 named .wav');
  });

  it('reads linked files and folders, skips each bad file with a warning and one summary line', async () => {
    const lines: string[] = [];
    const ds = (await modality.loadUnlabeled(bad.root, {
      loader: { clipSeconds: 0.05 },
      log: logTo(lines),
    })) as WavDataset;
    expect(ds.files.map((f) => f.slice(bad.root.length + 1))).toEqual([
      'good-1.wav',
      'good-3.wav',
      'linked-folder/in-linked-folder.wav',
      'linked-folder/linked-file.wav',
      'sub/good-2.wav',
    ]);
    expectSkippedOnce(lines, bad.root, {
      summary: `${bad.root}: skipped 6 of 11 WAV files (2 empty, 1 truncated, 1 wrong format, 2 unreadable)`,
      skipped: ['empty.wav', 'truncated.wav', 'wrong.wav', 'fifo.wav', 'dangling.wav'],
      loop: 'sub/up',
    });
    expect(lines).toContain(
      `skipped ${join(bad.root, 'header-only.wav')}: no audio samples (a WAV header with an empty data chunk)`,
    );
    ds.dispose();
  });

  it('strict stops at the first bad file with a one-line error naming it', async () => {
    await expectStrictStop(
      modality.loadUnlabeled(bad.root, { strict: true, log: () => {} }),
      /dangling\.wav: a broken symbolic link/,
    );
  });

  it('a header-only WAV alone is an error, not a second of silence', async () => {
    const dir = join(work.path, 'silent');
    mkdirSync(dir);
    writeFileSync(join(dir, 'h.wav'), wavBytes([[]], 16000, '16'));
    await expect(modality.loadUnlabeled(dir, { log: () => {} })).rejects.toThrow(
      /h\.wav: no audio samples \(a WAV header with an empty data chunk\)/,
    );
  });

  it('a file without read permission is unreadable (as root: in a child without the read-override capabilities)', async () => {
    const wav = wavBytes([tone(800, 1)], 16000, '16');
    const { size, lines } = loadWithLockedFile('audio', join(work.path, 'perm'), ['ok.wav', wav], ['locked.wav', wav]);
    expect(size).toBe(1);
    expect(lines.at(-1)).toMatch(/skipped 1 of 2 WAV files \(1 unreadable\)/);
  });
});
