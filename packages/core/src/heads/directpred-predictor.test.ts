import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { DirectPredPredictor, directPredWeight } from './directpred-predictor.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';

interface DirectPredFixture {
  runs: {
    options: { rho?: number; eps?: number; frequency?: number };
    batches: FixtureTensor[];
    expected: { correlation: FixtureTensor; weight: FixtureTensor }[];
  }[];
}

const fixture = loadFixture<DirectPredFixture>('directpred');

describe('DirectPredPredictor', () => {
  fixture.runs.forEach((run, r) => {
    it(`tracks F and W as the PyTorch reference: run ${r} ${JSON.stringify(run.options)}`, () => {
      const d = run.batches[0].shape[1];
      const dp = new DirectPredPredictor(d, run.options);
      run.batches.forEach((b, step) => {
        const f = toTensor(b) as tf.Tensor2D;
        dp.update(f);
        f.dispose();
        expectClose(dp.correlationMatrix().dataSync(), run.expected[step].correlation.data, `step ${step}: F`, 1e-4);
        expectClose(dp.weight().dataSync(), run.expected[step].weight.data, `step ${step}: W`, 1e-4);
      });
      expect(dp.updateCount()).toBe(run.batches.length);
      dp.dispose();
    });
  });

  it('uses rho 0.3, eps 0.01, frequency 1 by default and starts from the identity', () => {
    const dp = new DirectPredPredictor(3);
    expect([dp.rho, dp.eps, dp.frequency]).toEqual([0.3, 0.01, 1]);
    expect(Array.from(dp.weight().dataSync())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(() => new DirectPredPredictor(3, { rho: 1 })).toThrow(ConfigError);
    expect(() => new DirectPredPredictor(3, { frequency: 0 })).toThrow(ConfigError);
    const bad = tf.zeros([4, 2]) as tf.Tensor2D;
    expect(() => dp.update(bad)).toThrow(/\[batch, 3\], got \[4,2\]/);
    bad.dispose();
    dp.dispose();
  });

  it('gives the top eigen-direction gain 1 + eps and a null direction gain eps', () => {
    // Embeddings along e0 (variance 4) and e1 (variance 1), none along e2.
    const f = tf.tensor2d([
      [2, 1, 0],
      [-2, 1, 0],
      [2, -1, 0],
      [-2, -1, 0],
    ]);
    const dp = new DirectPredPredictor(3, { eps: 0.1 });
    dp.update(f);
    const w = Array.from(dp.weight().dataSync());
    expectClose(w, [1.1, 0, 0, 0, 0.5 + 0.1, 0, 0, 0, 0.1], 'W', 1e-5);
    // predict = f W: gradient reaches f (W is a constant).
    const [g] = tf.grads((x: tf.Tensor) => tf.sum(dp.predict(x as tf.Tensor2D)))([f]);
    expectClose(g.dataSync(), [1.1, 0.6, 0.1, 1.1, 0.6, 0.1, 1.1, 0.6, 0.1, 1.1, 0.6, 0.1], 'dL/df', 1e-5);
    tf.dispose([f, g]);
    dp.dispose();
  });

  it('handles all-zero embeddings (W = eps I) without NaN', () => {
    const w = directPredWeight(new Float64Array(9), 3, 0.1);
    expectClose(w, [0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1], 'W', 1e-12);
  });

  it('round-trips its state through getState / setState and resumes identically', () => {
    const batches = [1, 2, 3, 4].map((s) => tf.randomNormal([16, 5], 0, 1, 'float32', s) as tf.Tensor2D);
    const a = new DirectPredPredictor(5, { frequency: 2 });
    a.update(batches[0]);
    a.update(batches[1]);
    const saved = new Map([...a.getState()].map(([k, v]) => [k, v.clone()]));
    expect([...saved.keys()]).toEqual(['directpred/correlation', 'directpred/weight', 'directpred/updates']);
    const b = new DirectPredPredictor(5, { frequency: 2 });
    b.setState(saved);
    for (const p of [a, b]) {
      p.update(batches[2]);
      p.update(batches[3]);
    }
    expect(b.updateCount()).toBe(4);
    expect(Array.from(b.weight().dataSync())).toEqual(Array.from(a.weight().dataSync()));
    expect(() => b.setState(new Map())).toThrow(CheckpointError);
    tf.dispose([...batches, ...saved.values()]);
    a.dispose();
    b.dispose();
  });

  it('keeps the tensor count flat across repeated updates and predictions', () => {
    const f = tf.randomNormal([32, 8], 0, 1, 'float32', 9) as tf.Tensor2D;
    const dp = new DirectPredPredictor(8);
    const step = () => {
      dp.update(f);
      tf.dispose(tf.grads((x: tf.Tensor) => tf.sum(dp.predict(x as tf.Tensor2D)))([f]));
    };
    expect(tensorsLeftBy(step, 5)).toBe(0);
    f.dispose();
    dp.dispose();
  });
});
