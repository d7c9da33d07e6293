import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { reconstruction } from './reconstruction.js';

const fixture = loadFixture('reconstruction');

describe('reconstruction', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch', (o) => reconstruction({ kind: o.kind as 'mse' | 'bce' }));

  it('BCE stays finite with extreme logits and has the exact gradient at 0', () => {
    const x = tf.tensor1d([1e4, -1e4, 0]);
    const t = tf.tensor1d([0, 1, 1]);
    const bce = reconstruction({ kind: 'bce' });
    const loss = bce.compute({ prediction: x, target: t });
    // log(1 + e^-|x|) terms: 1e4, 1e4, log 2; mean over 3.
    expect(loss.dataSync()[0]).toBeCloseTo((2e4 + Math.log(2)) / 3, 0);
    const [gx] = tf.grads((p: tf.Tensor) => bce.compute({ prediction: p, target: t }))([x]);
    const g = Array.from(gx.dataSync());
    expect(g[0]).toBeCloseTo(1 / 3, 6);
    expect(g[1]).toBeCloseTo(-1 / 3, 6);
    expect(g[2]).toBeCloseTo((0.5 - 1) / 3, 6);
    tf.dispose([x, t, loss, gx]);
  });

  it('is 0 for a perfect reconstruction (MSE) and lower for a closer one', () =>
    tf.tidy(() => {
      const target = tf.randomUniform([4, 8], 0, 1, 'float32', 1);
      const mse = reconstruction();
      const noise = tf.randomNormal([4, 8], 0, 1, 'float32', 2);
      const exact = mse.compute({ prediction: target, target }).dataSync()[0];
      const near = mse.compute({ prediction: tf.add(target, tf.mul(noise, 0.1)), target }).dataSync()[0];
      const far = mse.compute({ prediction: tf.add(target, noise), target }).dataSync()[0];
      expect(exact).toBe(0);
      expect(near).toBeLessThan(far);
    }));

  it('rejects a bad kind and mismatched shapes', () => {
    expect(() => reconstruction({ kind: 'l1' as 'mse' })).toThrow(ConfigError);
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 2]);
    expect(() => reconstruction().compute({ prediction: a, target: b })).toThrow(ShapeError);
    expect(() => reconstruction().compute({ prediction: a, target: b })).toThrow(/\[2,3\] and \[3,2\]/);
    tf.dispose([a, b]);
  });

  it('keeps the tensor count flat across repeated compute + grad', () => {
    const p = tf.randomNormal([8, 16], 0, 1, 'float32', 3);
    const t = tf.randomUniform([8, 16], 0, 1, 'float32', 4);
    for (const kind of ['mse', 'bce'] as const) {
      const obj = reconstruction({ kind });
      const step = () => tf.tidy(() => tf.grads((x: tf.Tensor) => obj.compute({ prediction: x, target: t }))([p]));
      tf.dispose(step());
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) tf.dispose(step());
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([p, t]);
  });
});
