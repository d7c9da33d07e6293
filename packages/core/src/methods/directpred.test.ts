import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { CheckpointError, ConfigError, ShapeError } from '../errors.js';
import { DirectPredPredictor, directPredWeight, symmetricEigen } from './directpred.js';

interface DirectPredFixture {
  runs: {
    options: { rho?: number; eps?: number; frequency?: number };
    batches: FixtureTensor[];
    expected: { correlation: FixtureTensor; weight: FixtureTensor }[];
  }[];
  eigh: { label: string; distinct: boolean; matrix: FixtureTensor; values: FixtureTensor; vectors: FixtureTensor }[];
}

const fixture = loadFixture<DirectPredFixture>('directpred');

/** max |A - U diag(s) U^T| and max |U^T U - I|. */
function residuals(a: ArrayLike<number>, values: Float64Array, vectors: Float64Array, n: number) {
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let r = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        r += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      rec = Math.max(rec, Math.abs(r - a[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { rec, orth };
}

describe('symmetricEigen', () => {
  for (const c of fixture.eigh) {
    it(`matches torch.linalg.eigh: ${c.label}`, () => {
      const n = c.matrix.shape[0];
      const { values, vectors } = symmetricEigen(c.matrix.data, n);
      // The fixture's inputs are printed to 9 digits (exact in float32, not in float64), so
      // torch saw a matrix within ~5e-10 relative of ours.
      expectClose(values, c.values.data, `${c.label}: eigenvalues`, 1e-7);
      const scale = Math.max(1, ...c.values.data.map(Math.abs));
      const { rec, orth } = residuals(c.matrix.data, values, vectors, n);
      expect(rec).toBeLessThan(1e-12 * scale * n);
      expect(orth).toBeLessThan(1e-12 * n);
      if (c.distinct) {
        // Each eigenvector equals torch's up to sign.
        for (let k = 0; k < n; k++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + k] * c.vectors.data[i * n + k];
          expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-6);
        }
      }
    });
  }

  it('rejects a wrong size and non-finite entries', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(ShapeError);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(ShapeError);
  });

  it('decomposes a 128 x 128 covariance accurately', () => {
    const n = 128;
    const m = 200;
    let seed = 1;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const x = Array.from({ length: n * m }, rand);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += x[i * m + k] * x[j * m + k];
        a[i * n + j] = s / m;
      }
    }
    const { values, vectors } = symmetricEigen(a, n);
    const { rec, orth } = residuals(a, values, vectors, n);
    expect(rec).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  });
});

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
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    f.dispose();
    dp.dispose();
  });
});
