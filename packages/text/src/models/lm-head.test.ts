import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tokenNll } from './lm-head.js';

describe('token NLL', () => {
  it('equals -log softmax(logits)[target], computed by hand', () => {
    const rows = [
      [1, 2, 3],
      [0.5, -1, 4],
    ];
    const targets = [2, 0];
    const nll = tokenNll(tf.tensor2d(rows), tf.tensor1d(targets, 'int32')).arraySync();
    rows.forEach((r, i) => {
      const z = r.reduce((a, x) => a + Math.exp(x), 0);
      expect(nll[i]).toBeCloseTo(Math.log(z) - r[targets[i]!]!, 5);
    });
  });
});
