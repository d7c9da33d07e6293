import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { stopGradient } from './stop-gradient.js';

describe('stopGradient', () => {
  it('is the identity in the forward pass', () =>
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, -2],
        [3.5, 0],
      ]);
      const y = stopGradient(x);
      expect(y.shape).toEqual([2, 2]);
      expect(Array.from(y.dataSync())).toEqual([1, -2, 3.5, 0]);
    }));

  it('blocks the gradient through it but not around it', () =>
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3]);
      // f(x) = sum(x * sg(x)): d/dx = sg(x) = x (the stopped branch contributes nothing).
      const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(a, stopGradient(a))))([x]);
      expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
      // Without the stop: d/dx sum(x^2) = 2x, so the test above can tell them apart.
      const [h] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(a, a)))([x]);
      expect(Array.from(h.dataSync())).toEqual([2, 4, 6]);
      // Fully stopped: zero gradient, also upstream of the stop.
      const [z] = tf.grads((a: tf.Tensor) => tf.sum(tf.square(stopGradient(tf.mul(a, 3)))))([x]);
      expect(Array.from(z.dataSync())).toEqual([0, 0, 0]);
    }));

  it('leaves variables untouched by an optimizer step', () => {
    const v = tf.variable(tf.tensor1d([1, -1]));
    const opt = tf.train.sgd(0.5);
    const cost = opt.minimize(() => tf.sum(tf.square(stopGradient(v))) as tf.Scalar, true, [v]);
    expect(Array.from(v.dataSync())).toEqual([1, -1]);
    tf.dispose([v, cost as tf.Tensor]);
    opt.dispose();
  });

  it('keeps the tensor count flat across repeated use under a tape', () => {
    const x = tf.randomNormal([4, 3]);
    const step = () => tf.grads((a: tf.Tensor) => tf.sum(tf.mul(a, stopGradient(a))))([x]);
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
  });
});
