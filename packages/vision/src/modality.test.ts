/**
 * The vision modality's loader as the CLI drives it: `--image-size` and `--channels` on folders
 * and IDX files, fitting data to a trained encoder (with a note, or a refusal naming both), the
 * one bad-file policy (skip with a warning per file and a summary, or `strict`), and symbolic
 * links followed with loops left out. Images are made here with sharp; IDX bytes by hand.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type EncoderConfig, initBackend, readBatch } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { expectSkippedOnce, expectStrictStop, logTo } from '../../core/src/test-support/bad-file-policy.js';
import { tempWorkDir } from '../../core/src/test-support/temp-work-dir.js';
import { loadWithLockedFile, writeUnreadableEntries } from '../../core/src/test-support/unreadable-files.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { modality } from './modality.js';

const work = tempWorkDir('autodidact-vision-modality-');
beforeAll(async () => {
  await initBackend({ quiet: true });
});

/** A deterministic colour image as PNG (or JPEG) bytes. */
async function image(width: number, height: number, seed: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + seed * 101) % 251;
  const s = sharp(raw, { raw: { width, height, channels: 3 } });
  return format === 'png' ? s.png().toBuffer() : s.jpeg().toBuffer();
}

/** An IDX images file of `n` grey `h`x`w` images (values i % 256), with labels beside it. */
function idx(dir: string, n: number, h: number, w: number): string {
  mkdirSync(dir, { recursive: true });
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0x00000803, 0);
  head.writeUInt32BE(n, 4);
  head.writeUInt32BE(h, 8);
  head.writeUInt32BE(w, 12);
  const body = Buffer.alloc(n * h * w);
  for (let i = 0; i < body.length; i++) body[i] = i % 256;
  const images = join(dir, 'toy-images-idx3-ubyte');
  writeFileSync(images, Buffer.concat([head, body]));
  const lhead = Buffer.alloc(8);
  lhead.writeUInt32BE(0x00000801, 0);
  lhead.writeUInt32BE(n, 4);
  writeFileSync(
    join(dir, 'toy-labels-idx1-ubyte'),
    Buffer.concat([lhead, Buffer.from(Array.from({ length: n }, (_, i) => i % 2))]),
  );
  return images;
}

describe('vision loader options', () => {
  it('--image-size resizes the shorter side and centre-crops; --channels picks grey or colour', async () => {
    const dir = join(work.path, 'sizes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.png'), await image(120, 80, 1));
    writeFileSync(join(dir, 'b.jpg'), await image(50, 70, 2, 'jpeg'));
    const auto = await modality.loadUnlabeled(dir, { log: () => {} });
    expect(auto.sampleShape).toEqual([64, 64, 3]); // first image larger than 96 px: the default 64
    const small = await modality.loadUnlabeled(dir, { loader: { imageSize: 32, channels: 1 }, log: () => {} });
    expect(small.sampleShape).toEqual([32, 32, 1]);
    expect(small.size).toBe(2);
    const x = await readBatch(small, [0, 1]);
    expect(x.shape).toEqual([2, 32, 32, 1]);
    x.dispose();
    // the crop is the centre: a 120x80 picture scaled to 48x32 keeps columns 8..39 of the scaled image
    const ref = await sharp(join(dir, 'a.png')).resize(48, 32).extract({ left: 8, top: 0, width: 32, height: 32 });
    const refGrey = await ref.toColourspace('b-w').raw().toBuffer();
    const got = ((await readBatch(small, [0])).dataSync() as Float32Array).map((v) => v * 255);
    let diff = 0;
    for (let i = 0; i < refGrey.length; i++) diff += Math.abs(got[i]! - refGrey[i]!);
    expect(diff / refGrey.length).toBeLessThan(8); // same crop (a shifted one differs by tens)
  });

  it('IDX data is resized and converted batch by batch to the flags or the encoder, with a note for the encoder', async () => {
    const file = idx(join(work.path, 'idx'), 6, 28, 28);
    const plain = await modality.loadUnlabeled(file, {});
    expect(plain.sampleShape).toEqual([28, 28, 1]);
    const lines: string[] = [];
    const encoder: EncoderConfig = { kind: 'conv-small', modality: 'vision', outputDim: 8, inputShape: [64, 64, 3] };
    const fitted = await modality.loadLabeled(file, { encoder, log: logTo(lines) });
    expect(fitted.sampleShape).toEqual([64, 64, 3]);
    expect(lines).toEqual([
      `${file}: 28x28 grey images; the encoder takes 64x64x3: resized to 64x64 (shorter side scaled, centre cropped) and grey repeated to 3 channels`,
    ]);
    const before = tf.memory().numTensors;
    const b = await readBatch(fitted, [0, 5]);
    expect(b.shape).toEqual([2, 64, 64, 3]);
    const v = (await b.data()) as Float32Array;
    expect(v[0]).toBeCloseTo(v[1]!, 6); // the three channels are the grey value repeated
    expect(v[2]).toBeCloseTo(v[0]!, 6);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(fitted.labels!)).toEqual([0, 1, 0, 1, 0, 1]);
    // the same shape as the encoder: no conversion, no note
    const lines2: string[] = [];
    const same = await modality.loadLabeled(file, {
      encoder: { ...encoder, inputShape: [28, 28, 1] },
      log: logTo(lines2),
    });
    expect(same.sampleShape).toEqual([28, 28, 1]);
    expect(lines2).toEqual([]);
    fitted.dispose?.();
    same.dispose?.();
    plain.dispose?.();
  });

  it('a flag that contradicts the encoder is refused, naming what the encoder takes', async () => {
    const file = idx(join(work.path, 'idx2'), 2, 28, 28);
    const encoder: EncoderConfig = { kind: 'conv-small', modality: 'vision', outputDim: 8, inputShape: [64, 64, 3] };
    await expect(modality.loadLabeled(file, { encoder, loader: { imageSize: 32 } })).rejects.toThrow(
      '--image-size: the encoder takes 64x64x3 images; --image-size 32 does not fit it',
    );
    await expect(modality.loadLabeled(file, { encoder, loader: { channels: 1 } })).rejects.toThrow(ConfigError);
  });
});

describe('vision bad files and links', () => {
  let root = '';
  beforeAll(async () => {
    root = join(work.path, 'bad');
    // class folders a and b, as a labelled set (pretraining reads it too, labels kept)
    mkdirSync(join(root, 'a'), { recursive: true });
    mkdirSync(join(root, 'b'));
    for (let i = 0; i < 4; i++) writeFileSync(join(root, i < 2 ? 'a' : 'b', `good-${i}.png`), await image(20, 20, i));
    writeFileSync(join(root, 'a', 'empty.png'), '');
    const png = await image(20, 20, 9);
    writeFileSync(join(root, 'a', 'truncated.png'), png.subarray(0, png.length >> 1));
    writeFileSync(join(root, 'b', 'wrong.png'), 'this is text, not a picture');
    writeUnreadableEntries(join(root, 'a'), 'png', join(root, 'a'));
    symlinkSync('self.png', join(root, 'b', 'self.png')); // ELOOP
  });

  it('skips each bad file with a warning, counts them in one summary line, reads the rest once', async () => {
    const lines: string[] = [];
    const ds = await modality.loadUnlabeled(root, { log: logTo(lines) });
    expect(ds.size).toBe(4);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 1, 1]);
    expectSkippedOnce(lines, root, {
      summary: `${root}: skipped 6 of 10 image files (1 empty, 1 truncated, 1 wrong format, 3 unreadable)`,
      skipped: ['a/empty.png', 'a/truncated.png', 'b/wrong.png', 'a/fifo.png', 'a/dangling.png', 'b/self.png'],
      loop: 'a/up',
    });
  });

  it('strict stops at the first bad file with a one-line error naming it', async () => {
    await expectStrictStop(
      modality.loadUnlabeled(root, { strict: true, log: () => {} }),
      /a\/dangling\.png: a broken symbolic link/,
    );
  });

  it('a file without read permission is unreadable (as root: in a child without the read-override capabilities)', async () => {
    const { size, lines } = loadWithLockedFile(
      'vision',
      join(work.path, 'perm'),
      ['ok.png', await image(20, 20, 1)],
      ['locked.png', await image(20, 20, 2)],
    );
    expect(size).toBe(1);
    expect(lines.at(-1)).toMatch(/skipped 1 of 2 image files \(1 unreadable\)/);
  });
});
