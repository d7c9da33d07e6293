import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBases } from '../encode/base-codes.js';
import { oneHot } from '../encode/one-hot.js';
import { MaskedNucleotide } from './masked-nucleotide.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

// Windows of a period-8 repeat at a random phase: every base is fixed by its neighbours, but all
// four bases are equally frequent, so a head that only knows base composition (or any feature
// max-pooled over whole periods) stays near 25%. The head used to read patch latents alone and
// could not get past composition; with the per-base conv features it must solve this quickly.
const UNIT = 'ACGGTCAT';
function repeats(n: number, length: number, rng: Rng): tf.Tensor3D {
  const text = UNIT.repeat(Math.ceil(length / UNIT.length) + 1);
  return oneHot(
    Array.from({ length: n }, () => {
      const phase = rng.int(UNIT.length);
      return encodeBases(text.slice(phase, phase + length));
    }),
  );
}

describe('MaskedNucleotide', () => {
  it('predicts a masked base from its neighbours (base-resolution head)', () => {
    const method = new MaskedNucleotide([64, 4], { width: 16, hidden: 16, maskRate: 0.15 }, new Rng(0));
    const vars = [...method.trainableVariables().values()];
    const opt = tf.train.adam(1e-2);
    const rng = new Rng(1);
    let settled = 0;
    const accuracy: number[] = [];
    for (let step = 0; step < 60; step++) {
      const x = repeats(16, 64, rng);
      const loss = opt.minimize(
        () => {
          const out = method.computeLoss(x, { step, totalSteps: 60, epoch: 0, rng });
          accuracy.push(out.metrics!.accuracy!.dataSync()[0]!);
          return out.loss;
        },
        true,
        vars,
      )!;
      tf.dispose([x, loss]);
      // The optimizer's moments appear on the first step; afterwards nothing is left behind.
      if (step === 1) settled = tf.memory().numTensors;
      if (step > 1) expect(tf.memory().numTensors).toBe(settled);
    }
    const last = accuracy.slice(-10).reduce((a, b) => a + b, 0) / 10;
    expect(last, accuracy.map((a) => a.toFixed(2)).join(' ')).toBeGreaterThan(0.8);
    opt.dispose();
    method.dispose();
  });
});
