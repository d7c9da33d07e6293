// Property-based tests of the IDX parser: any byte string, and any mutation of a valid file
// (truncation, flipped bytes, huge headers, gzip of garbage), either parses to a consistent
// array or fails with a DataFormatError naming the file; never another error, never a hang,
// never an allocation the file's size does not justify.
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '@autodidact/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.js';

const RUNS = 3000;

function valid(shape: number[], fill: number): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * shape.length + count);
  const dv = new DataView(out.buffer);
  out.set([0, 0, 8, shape.length]);
  shape.forEach((d, i) => {
    dv.setUint32(4 + 4 * i, d, false);
  });
  out.fill(fill, 4 + 4 * shape.length);
  return out;
}

function check(bytes: Uint8Array): void {
  try {
    const r = parseIdx(bytes, '/fuzz/input');
    const count = r.shape.reduce((a, b) => a * b, 1);
    expect(r.data.length).toBe(count);
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message.startsWith('/fuzz/input: ')).toBe(true);
  }
}

describe('IDX parser under fuzzing', () => {
  it(`arbitrary bytes (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => check(b)),
      { numRuns: RUNS },
    );
  });

  it(`mutated valid files, raw and gzipped (${RUNS} inputs)`, () => {
    const file = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 255 }))
      .map(([shape, fill]) => valid(shape, fill));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('huge-dim' as const), dim: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(
      fc.property(file, mutation, fc.boolean(), (bytes, m, gz) => {
        let b: Uint8Array = bytes.slice();
        if (m.kind === 'truncate') b = b.subarray(0, m.at % (b.length + 1));
        else if (m.kind === 'flip') b[m.at % b.length] = m.value;
        else if (m.kind === 'append') b = new Uint8Array([...b, ...m.extra]);
        else if (4 + 4 * m.dim + 4 <= b.length) new DataView(b.buffer).setUint32(4 + 4 * m.dim, 0xffffffff, false);
        check(gz ? gzipSync(b) : b);
        // gzip streams cut short must fail cleanly too
        if (gz) check(gzipSync(b).subarray(0, 12));
      }),
      { numRuns: RUNS },
    );
  });
});
