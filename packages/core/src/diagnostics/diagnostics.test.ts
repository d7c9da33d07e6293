import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { alignment } from './alignment.js';
import { collapseDiagnostics } from './collapse-diagnostics.js';
import { uniformity } from './uniformity.js';

// Fixtures from tools/fixtures/optim/make_fixtures.py (torch.std, torch.linalg.svdvals, torch.pdist).
interface Case {
  name: string;
  z: number[][];
  z2: number[][];
  stdPerDim: number[];
  meanStd: number;
  minStd: number;
  effectiveRank: number;
  alignment: Record<'1' | '2', number>;
  uniformity: Record<'1' | '2', number>;
}
const cases = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../../tools/fixtures/optim/diagnostics.json', import.meta.url)), 'utf8'),
) as Case[];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('collapse diagnostics vs torch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const z = tf.tensor2d(c.z);
      const z2 = tf.tensor2d(c.z2);
      const before = tf.memory().numTensors;
      const d = collapseDiagnostics(z);
      expect(rel(d.meanStd, c.meanStd)).toBeLessThan(1e-5);
      expect(rel(d.minStd, c.minStd)).toBeLessThan(1e-5);
      expect(rel(d.stdRatio, c.meanStd * Math.sqrt(c.z[0]!.length))).toBeLessThan(1e-5);
      expect(rel(d.effectiveRank, c.effectiveRank)).toBeLessThan(1e-5);
      for (const a of [1, 2] as const) {
        const al = alignment(z, z2, a);
        const un = uniformity(z, a);
        expect(rel(al.arraySync(), c.alignment[a])).toBeLessThan(1e-4);
        expect(Math.abs(un.arraySync() - c.uniformity[a])).toBeLessThan(1e-4);
        tf.dispose([al, un]);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([z, z2]);
    });
  }

  it('tells collapsed from healthy embeddings', () => {
    const rng = new Rng(3);
    const n = 128;
    const dim = 32;
    const healthy = tf.tensor2d(
      Array.from({ length: n * dim }, () => rng.normal()),
      [n, dim],
    );
    // All rows the same direction up to tiny noise: complete collapse.
    const point = Array.from({ length: dim }, () => rng.normal());
    const collapsed = tf.tensor2d(
      Array.from({ length: n * dim }, (_, i) => point[i % dim]! + 1e-4 * rng.normal()),
      [n, dim],
    );
    // Dimensional collapse: embeddings spanning only 2 of 32 dimensions.
    const basis = Array.from({ length: 2 * dim }, () => rng.normal());
    const lowRank = tf.tensor2d(
      Array.from({ length: n * dim }, (_, i) => {
        const r = Math.floor(i / dim);
        const j = i % dim;
        const a = Math.sin(r * 1.7);
        const b = Math.cos(r * 0.3);
        return a * basis[j]! + b * basis[dim + j]!;
      }),
      [n, dim],
    );
    const h = collapseDiagnostics(healthy);
    const c = collapseDiagnostics(collapsed);
    const l = collapseDiagnostics(lowRank);
    expect(h.stdRatio).toBeGreaterThan(0.9);
    expect(h.effectiveRank).toBeGreaterThan(0.8 * dim);
    expect(c.stdRatio).toBeLessThan(0.01);
    expect(c.effectiveRank).toBeLessThan(1.1);
    expect(l.effectiveRank).toBeLessThan(2.01);
    expect(l.effectiveRank).toBeGreaterThan(1.2);
    const uh = uniformity(healthy);
    const uc = uniformity(collapsed);
    expect(uh.arraySync()).toBeLessThan(-1.5);
    expect(Math.abs(uc.arraySync())).toBeLessThan(1e-3);
    tf.dispose([healthy, collapsed, lowRank, uh, uc]);
  });
});
