import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  type FixtureTensor,
  loadFixture,
  toTensor,
} from '../../../../tools/fixtures/objectives/fixtures.js';
import { itMatchesPyTorch } from '../test-support/objective-checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { type Data2VecTargetOptions, data2vecLoss, data2vecTargets } from './data2vec-loss.js';

const fixture = loadFixture('data2vec');
const targets = loadFixture<{
  cases: { label: string; options: Data2VecTargetOptions; layers: FixtureTensor; target: FixtureTensor }[];
}>('data2vec-targets');

describe('data2vecLoss', () => {
  itMatchesPyTorch(fixture.cases, "matches PyTorch (fairseq's regression loss)", data2vecLoss, 1e-5);

  it('is sqrt(D) for a zero prediction of layer-normalised targets (L2, default scale)', () =>
    tf.tidy(() => {
      const d = 16;
      const layers = [1, 2, 3].map((s) => tf.randomNormal([2, 5, d], 1, 2, 'float32', s) as tf.Tensor3D);
      const target = data2vecTargets(layers, { topK: 3, layerNorm: 'none', targetNorm: 'layer' });
      const loss = data2vecLoss()
        .compute({ prediction: tf.zerosLike(target), target })
        .dataSync()[0];
      expect(loss).toBeCloseTo(Math.sqrt(d), 2);
    }));

  it('counts only masked positions, and is 0 when nothing is masked', () =>
    tf.tidy(() => {
      const prediction = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 4) as tf.Tensor3D;
      const target = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5) as tf.Tensor3D;
      const obj = data2vecLoss({ scale: 1 });
      const mask = tf.tensor2d([
        [1, 0, 0],
        [0, 0, 1],
      ]);
      const perPosition = tf.sum(tf.square(tf.sub(prediction, target)), 2).arraySync() as number[][];
      const expected = (perPosition[0][0] + perPosition[1][2]) / 2;
      expect(obj.compute({ prediction, target, mask }).dataSync()[0]).toBeCloseTo(expected, 4);
      expect(obj.compute({ prediction, target, mask: tf.cast(mask, 'bool') as tf.Tensor2D }).dataSync()[0]).toBeCloseTo(
        expected,
        4,
      );
      expect(obj.compute({ prediction, target, mask: tf.zeros([2, 3]) as tf.Tensor2D }).dataSync()[0]).toBe(0);
    }));

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(data2vecLoss().options).toEqual({ beta: 0 });
      expect(() => data2vecLoss({ beta: -1 })).toThrow(ConfigError);
      expect(() => data2vecLoss({ scale: 0 })).toThrow(ConfigError);
      const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
      expect(() => data2vecLoss().compute({ prediction: x, target: tf.zeros([2, 3, 5]) as tf.Tensor3D })).toThrow(
        ShapeError,
      );
      expect(() => data2vecLoss().compute({ prediction: x, target: x, mask: tf.zeros([2, 4]) as tf.Tensor2D })).toThrow(
        /mask must be \[2, 3\], got \[2,4\]/,
      );
    }));
});

describe('data2vecTargets', () => {
  for (const c of targets.cases) {
    it(`matches PyTorch (fairseq's target construction): ${c.label}`, () =>
      tf.tidy(() => {
        const stacked = toTensor(c.layers);
        const layers = tf.unstack(stacked) as tf.Tensor3D[];
        const y = data2vecTargets(layers, c.options);
        expect(y.shape).toEqual(c.target.shape);
        expectClose(y.dataSync(), c.target.data, c.label, 1e-5);
      }));
  }

  it('passes no gradient to the teacher layers and leaks no tensors', () => {
    const layers = [1, 2].map((s) => tf.randomNormal([2, 4, 3], 0, 1, 'float32', s));
    const before = tf.memory().numTensors;
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(data2vecTargets([a as tf.Tensor3D, b as tf.Tensor3D], { topK: 2 })),
    )(layers);
    expect(grads.every((g) => Array.from(g.dataSync()).every((v) => v === 0))).toBe(true);
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(layers);
  });

  it('rejects a topK above the layers given, unknown norms and mismatched layers', () =>
    tf.tidy(() => {
      const l = tf.zeros([2, 3, 4]) as tf.Tensor3D;
      expect(() => data2vecTargets([l, l], { topK: 3 })).toThrow(/topK: expected an integer in \[1, 2\]/);
      expect(() => data2vecTargets([l], { topK: 1, layerNorm: 'batch' as 'layer' })).toThrow(ConfigError);
      expect(() => data2vecTargets([l, tf.zeros([2, 3, 5]) as tf.Tensor3D], { topK: 2 })).toThrow(ShapeError);
    }));
});
