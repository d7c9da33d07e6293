import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointMutation } from '../augment/point-mutation.js';
import { randomReverseComplement } from '../augment/random-reverse-complement.js';
import { decodeBases, encodeBases } from './base-codes.js';
import { kmerFrequencies, kmerTokens, reverseComplementKmer } from './kmer.js';
import { oneHot } from './one-hot.js';
import { reverseComplement, reverseComplementCodes, reverseComplementOneHot } from './reverse-complement.js';
import { WindowDataset } from './window-dataset.js';
import { slidingWindows } from './windows.js';

const dna = fc.array(fc.constantFrom(...'ACGTN'), { minLength: 1, maxLength: 60 }).map((a) => a.join(''));

describe('reverse complement', () => {
  it('of strings: known value, and twice is the identity', () => {
    expect(reverseComplement('AACGTN')).toBe('NACGTT');
    expect(reverseComplement('RYKMBV')).toBe('BVKMRY');
    fc.assert(fc.property(dna, (s) => reverseComplement(reverseComplement(s)) === s));
  });

  it('of one-hot tensors equals one-hot of the reversed complement codes (flip both axes)', () => {
    fc.assert(
      fc.property(fc.array(dna, { minLength: 1, maxLength: 4 }), (seqs) => {
        const len = Math.min(...seqs.map((s) => s.length));
        const rows = seqs.map((s) => encodeBases(s.slice(0, len)));
        const ok = tf.tidy(() => {
          const x = oneHot(rows);
          const rc = reverseComplementOneHot(x);
          const ref = oneHot(rows.map((r) => encodeBases(reverseComplement(decodeBases(r)))));
          const twice = reverseComplementOneHot(rc);
          const byCodes = oneHot(rows.map(reverseComplementCodes));
          return [rc, twice, byCodes].map(
            (t, i) =>
              tf
                .equal(t, i === 1 ? x : ref)
                .all()
                .dataSync()[0],
          );
        });
        expect(ok).toEqual([1, 1, 1]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('one-hot and k-mers', () => {
  it('one-hot puts one 1 per known base, none for N', () => {
    const x = oneHot([encodeBases('ACGTN')]);
    expect(Array.from(x.dataSync())).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    x.dispose();
  });

  it('k-mer tokens match base-4 numbers of the substrings', () => {
    fc.assert(
      fc.property(dna, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (s, k, stride) => {
        const got = Array.from(kmerTokens(encodeBases(s), k, stride));
        const want: number[] = [];
        for (let i = 0; i + k <= s.length; i += stride) {
          const sub = s.slice(i, i + k);
          want.push(
            sub.includes('N')
              ? 4 ** k
              : Number.parseInt(
                  sub.replace(/[ACGT]/g, (c) => String('ACGT'.indexOf(c))),
                  4,
                ),
          );
        }
        expect(got).toEqual(want);
      }),
    );
  });

  it('canonical k-mer frequencies are the same on both strands and sum to 1', () => {
    fc.assert(
      fc.property(dna, fc.integer({ min: 1, max: 4 }), (s, k) => {
        const a = kmerFrequencies(encodeBases(s), k);
        const b = kmerFrequencies(encodeBases(reverseComplement(s)), k);
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 6);
        const total = a.reduce((x, y) => x + y, 0);
        if (total > 0) expect(total).toBeCloseTo(1, 5);
      }),
    );
    expect(reverseComplementKmer(Number.parseInt('0123', 4), 4)).toBe(Number.parseInt('0123', 4)); // ACGT is its own RC
    expect(reverseComplementKmer(0, 3)).toBe(63); // AAA <-> TTT
  });
});

describe('windows', () => {
  it('slides with a stride and skips windows with N on request', () => {
    const seqs = [encodeBases('ACGTACGTAC'), encodeBases('ACGNACGT')];
    expect(slidingWindows(seqs, { length: 4, stride: 3 })).toEqual([
      { sequence: 0, start: 0 },
      { sequence: 0, start: 3 },
      { sequence: 0, start: 6 },
      { sequence: 1, start: 0 },
      { sequence: 1, start: 3 },
    ]);
    expect(slidingWindows(seqs, { length: 4, stride: 1, skipN: true }).filter((w) => w.sequence === 1)).toEqual([
      { sequence: 1, start: 4 },
    ]);
    const ds = new WindowDataset(seqs, slidingWindows(seqs, { length: 4 }), 4);
    expect(decodeBases(ds.codes(1))).toBe('ACGT');
    const b = ds.getBatch([0, 2]);
    expect(b.shape).toEqual([2, 4, 4]);
    b.dispose();
  });
});

describe('augmentations', () => {
  it('random reverse complement with p=1 is the reverse complement, p=0 the identity', () => {
    const x = oneHot([encodeBases('AACGTTGCAT'), encodeBases('GGGGGCCCCA')]);
    const r1 = randomReverseComplement(1)(x, new Rng(1));
    const r0 = randomReverseComplement(0)(x, new Rng(1));
    const rc = reverseComplementOneHot(x);
    expect(Array.from(r1.dataSync())).toEqual(Array.from(rc.dataSync()));
    expect(Array.from(r0.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, r1, r0, rc]);
  });

  it('point mutations substitute at the given rate, always to another base, keep N', () => {
    const s = 'ACGT'.repeat(2500) + 'NNNN';
    const x = oneHot([encodeBases(s)]);
    const y = pointMutation(0.1)(x, new Rng(7));
    const before = x.argMax(2).dataSync();
    const after = y.argMax(2).dataSync();
    const sums = y.sum(2).dataSync();
    let changed = 0;
    for (let i = 0; i < 10000; i++) if (before[i] !== after[i]) changed++;
    expect(changed / 10000).toBeGreaterThan(0.09);
    expect(changed / 10000).toBeLessThan(0.11);
    expect(Array.from(sums.slice(10000))).toEqual([0, 0, 0, 0]);
    expect(Array.from(sums.slice(0, 10000)).every((v) => v === 1)).toBe(true);
    const z = pointMutation(0.1)(x, new Rng(7));
    expect(Array.from(z.dataSync())).toEqual(Array.from(y.dataSync()));
    tf.dispose([x, y, z]);
  });
});

describe('region windows', () => {
  it('keeps windows inside one region or outside every annotation, drops the rest', async () => {
    const { regionWindows } = await import('./region-windows.js');
    // Sequence of 30: CDS 3..12, another feature 20..22.
    const r = regionWindows(
      30,
      [{ start: 3, end: 12 }],
      [
        { start: 3, end: 12 },
        { start: 20, end: 22 },
      ],
      {
        length: 5,
        stride: 1,
      },
    );
    // inside: windows [s+1, s+5] within 3..12 -> s = 2..7
    expect(r.inside).toEqual([2, 3, 4, 5, 6, 7]);
    // outside: no overlap with 3..12 or 20..22 -> s = 12..14 (13..17 .. 15..19) and 22..25
    expect(r.outside).toEqual([12, 13, 14, 22, 23, 24, 25]);
  });
});
