// Property-based tests of the image reader: arbitrary bytes, and truncated / byte-flipped /
// extended PNG, JPEG and WebP files, either decode to a consistent image or fail with a
// DataFormatError naming the file; never another error type, never a crash of the process.
import { DataFormatError } from '@autodidact/core';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './image-file.js';

const RUNS = 600;

async function check(bytes: Uint8Array, channels: 1 | 3, resize: boolean): Promise<'ok' | 'error'> {
  try {
    const img = await decodeImage(bytes, '/fuzz/input', { channels, ...(resize ? { size: [7, 5] } : {}) });
    const [h, w, c] = img.shape;
    expect(c).toBe(channels);
    if (resize) expect([h, w]).toEqual([7, 5]);
    expect(img.pixels.length).toBe(h * w * c);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message.startsWith('/fuzz/input: ')).toBe(true);
    return 'error';
  }
}

const encoded = fc
  .record({
    width: fc.integer({ min: 1, max: 12 }),
    height: fc.integer({ min: 1, max: 12 }),
    channels: fc.constantFrom(1, 3, 4),
    format: fc.constantFrom('png' as const, 'jpeg' as const, 'webp' as const),
    seed: fc.integer({ min: 0, max: 255 }),
  })
  .map(async ({ width, height, channels, format, seed }) => {
    const raw = Buffer.alloc(width * height * channels);
    for (let i = 0; i < raw.length; i++) raw[i] = (seed + i * 37) & 255;
    return new Uint8Array(await sharp(raw, { raw: { width, height, channels } }).toFormat(format).toBuffer());
  });

describe('image reader under fuzzing', () => {
  it(`arbitrary bytes, with and without a valid signature (${RUNS} inputs)`, async () => {
    const signatures = [
      [],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8, 0xff],
      [...'RIFF\0\0\0\0WEBP'].map((c) => c.charCodeAt(0)),
    ];
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 96 }),
        fc.boolean(),
        async (sig, tail, resize) => {
          if ((await check(new Uint8Array([...sig, ...tail]), 3, resize)) === 'error') errors++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(errors).toBeGreaterThan(RUNS * 0.9);
  });

  it(`truncated, flipped and extended PNG/JPEG/WebP files (${RUNS} inputs)`, async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    );
    const outcomes = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(
        encoded,
        mutation,
        fc.constantFrom(1 as const, 3 as const),
        fc.boolean(),
        async (file, m, channels, resize) => {
          let b = (await file).slice();
          if (m.kind === 'truncate') b = b.subarray(0, m.at % b.length);
          else if (m.kind === 'flip') b[m.at % b.length] = m.value;
          else b = new Uint8Array([...b, ...m.extra]);
          outcomes[await check(b, channels, resize)]++;
        },
      ),
      { numRuns: RUNS },
    );
    // both outcomes occur: a flip in pixel data can still decode, truncation never does
    expect(outcomes.error).toBeGreaterThan(RUNS / 4);
    expect(outcomes.ok + outcomes.error).toBe(RUNS);
  });
});
