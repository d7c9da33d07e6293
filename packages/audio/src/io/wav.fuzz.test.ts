// Property-based tests of the WAV reader: arbitrary bytes, and mutations of valid files of
// every supported encoding (truncation, flipped bytes, appended junk, huge header fields),
// either decode to consistent channels or fail with a DataFormatError naming the file;
// never another error, never a hang.
import { DataFormatError } from '@autodidact/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wavBytes } from '../test-support/fixtures.js';
import { decodeWavMono } from './wav.js';

const RUNS = 2000;
let decoded = 0;
let rejected = 0;

function check(bytes: Uint8Array): void {
  try {
    // Resample to a fixed rate too: a garbage sample rate must not blow up the resampler.
    const clip = decodeWavMono(bytes, '/fuzz/input.wav', { sampleRate: 16000 });
    expect(clip.samples).toBeInstanceOf(Float32Array);
    expect(clip.samples.every((v) => Number.isFinite(v))).toBe(true);
    decoded++;
  } catch (err) {
    if (!(err instanceof DataFormatError)) throw err;
    expect(err.message.startsWith('/fuzz/input.wav: ')).toBe(true);
    rejected++;
  }
}

const depths = ['8', '16', '24', '32', '32f', '64'] as const;

describe('WAV reader under fuzzing', () => {
  it(`arbitrary bytes, with and without a RIFF/WAVE header (${RUNS} inputs)`, () => {
    const header = new TextEncoder().encode('RIFF\x24\x00\x00\x00WAVE');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.boolean(), (b, withHeader) =>
        check(withHeader ? new Uint8Array([...header, ...b]) : b),
      ),
      { numRuns: RUNS },
    );
  });

  it(`mutated valid files of every encoding (${RUNS} inputs)`, () => {
    const file = fc
      .tuple(
        fc.constantFrom(...depths),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(8000, 11025, 22050, 44100, 48000),
      )
      .map(([bits, ch, n, rate]) =>
        wavBytes(
          Array.from({ length: ch }, () =>
            Array.from({ length: n }, (_, i) =>
              bits === '8' ? i % 256 : bits.endsWith('f') || bits === '64' ? 0.1 : i,
            ),
          ),
          rate,
          bits,
        ),
      );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
      // 22 channels, 24 sample rate, 28 byte rate, 32 block align, 34 bits, 40 data size
      fc.record({
        kind: fc.constant('field' as const),
        offset: fc.constantFrom(22, 24, 32, 34, 40),
        value: fc.constantFrom(0, 1, 3, 0xffff, 0x7fffffff, 0xffffffff),
      }),
    );
    fc.assert(
      fc.property(file, mutation, (bytes, m) => {
        let b: Uint8Array = bytes.slice();
        if (m.kind === 'truncate') b = b.subarray(0, m.at % (b.length + 1));
        else if (m.kind === 'flip') b[m.at % b.length] = m.value;
        else if (m.kind === 'append') b = new Uint8Array([...b, ...m.extra]);
        else if (m.offset + 4 <= b.length) {
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          if (m.offset === 22 || m.offset === 32 || m.offset === 34) dv.setUint16(m.offset, m.value & 0xffff, true);
          else dv.setUint32(m.offset, m.value >>> 0, true);
        }
        check(b);
      }),
      { numRuns: RUNS },
    );
  });

  it('saw both outcomes', () => {
    // Guards against a fuzzer that only ever exercises one branch.
    expect(decoded).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
    console.log(`WAV fuzz: ${decoded + rejected} inputs, ${decoded} decoded, ${rejected} DataFormatError`);
  });
});
