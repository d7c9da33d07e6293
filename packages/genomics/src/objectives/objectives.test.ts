import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedNucleotideLoss } from './masked-nucleotide-loss.js';
import { rcContextAccuracy, rcContextNCE } from './rc-context-nce.js';

// Reference values from tools/fixtures/genomics/generate.py (PyTorch, float64).
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../../../tools/fixtures/genomics/reference.json');
interface RcCase {
  gaps: number[];
  context: number[][][];
  predictions: number[][][][];
  loss: number;
  gradContext: number[][][];
  gradPredictions: number[][][][];
}
interface MaskedCase {
  logits: number[][][];
  target: number[][][];
  mask: number[][];
  loss: number;
  gradLogits: number[][][];
}
const fx = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { rcContextNCE: RcCase[]; maskedNucleotide: MaskedCase[] };

function close(a: number[], b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  expect(worst).toBeLessThan(tol);
}

describe('rcContextNCE (Self-GenomeNet loss) against PyTorch', () => {
  fx.rcContextNCE.forEach((c, k) => {
    it(`case ${k}: gaps ${c.gaps.join(',')}: loss and gradients`, () => {
      const before = tf.memory().numTensors;
      const context = tf.tensor3d(c.context);
      const predictions = c.predictions.map((p) => tf.tensor3d(p));
      const obj = rcContextNCE({ gaps: c.gaps });
      const f = (ctx: tf.Tensor, ...preds: tf.Tensor[]) =>
        obj.compute({ context: ctx as tf.Tensor3D, predictions: preds as tf.Tensor3D[] });
      const g = tf.grads(f);
      const loss = f(context, ...predictions);
      expect(loss.dataSync()[0]).toBeCloseTo(c.loss, 4);
      const gs = g([context, ...predictions]);
      close(Array.from(gs[0]!.dataSync()), c.gradContext.flat(2), 1e-4);
      c.gradPredictions.forEach((gp, i) => {
        close(Array.from(gs[i + 1]!.dataSync()), gp.flat(2), 1e-4);
      });
      const acc = rcContextAccuracy({ context, predictions }, c.gaps);
      expect(acc.dataSync()[0]).toBeGreaterThanOrEqual(0);
      tf.dispose([loss, acc, ...gs, context, ...predictions]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('rejects mismatched shapes and gaps longer than the sequence', () => {
    const c = tf.zeros([4, 5, 3]) as tf.Tensor3D;
    expect(() => rcContextNCE({ gaps: [4] }).compute({ context: c, predictions: [c] })).toThrow(/gap 4 needs/);
    expect(() => rcContextNCE({ gaps: [1, 2] }).compute({ context: c, predictions: [c] })).toThrow(/2 gaps/);
    c.dispose();
  });
});

describe('maskedNucleotideLoss against PyTorch', () => {
  it('loss and gradient', () => {
    const c = fx.maskedNucleotide[0]!;
    const logits = tf.tensor3d(c.logits);
    const target = tf.tensor3d(c.target);
    const mask = tf.tensor2d(c.mask);
    const obj = maskedNucleotideLoss();
    const f = (l: tf.Tensor) => obj.compute({ logits: l as tf.Tensor3D, target, mask });
    const loss = f(logits);
    expect(loss.dataSync()[0]).toBeCloseTo(c.loss, 5);
    const g = tf.grad(f)(logits);
    close(Array.from(g.dataSync()), c.gradLogits.flat(2), 1e-5);
    tf.dispose([logits, target, mask, loss, g]);
  });
});
