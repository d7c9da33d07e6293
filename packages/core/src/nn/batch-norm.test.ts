/**
 * The fused training-mode batch norm against tf.layers' own BatchNormalization (moments +
 * batchNorm, differentiated op by op) on every backend: outputs, gradients in x, gamma and beta,
 * moving statistics, inference, serialised form, and flat tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { batchNormTraining } from './batch-norm.js';
import { batchNormalization } from '../test-support/fused-batch-norm-layer.js';
import { describeOnBackends } from '../test-support/on-backends.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let scale = 1;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)));
  return worst / scale;
}

/** Two single-layer models, ours and tf.layers', with the same random gamma and beta. */
function pair(shape: number[], seed: number) {
  const make = (layer: tf.layers.Layer) => tf.sequential({ layers: [layer] });
  const args = { inputShape: shape.slice(1), momentum: 0.9, epsilon: 1e-5 };
  const ours = make(batchNormalization({ ...args, name: 'bn_ours' }));
  const ref = make(tf.layers.batchNormalization({ ...args, name: 'bn_ref' }));
  const c = shape[shape.length - 1] as number;
  const gamma = tf.randomNormal([c], 1, 0.3, 'float32', seed);
  const beta = tf.randomNormal([c], 0, 0.3, 'float32', seed + 1);
  for (const m of [ours, ref]) {
    const w = m.layers[0]!.getWeights();
    m.layers[0]!.setWeights([gamma, beta, w[2]!, w[3]!]);
  }
  tf.dispose([gamma, beta]);
  return { ours, ref };
}

await describeOnBackends('batch norm in training mode', () => {
  for (const shape of [
    [6, 5, 4, 3],
    [9, 7],
  ]) {
    it(`matches tf.layers for input [${shape}]: output, gradients, moving statistics, inference`, () => {
      const { ours, ref } = pair(shape, 3);
      // mean far from zero: the statistics must not cancel
      const x = tf.add(tf.randomNormal(shape, 0, 2, 'float32', 4), 5);
      const r = tf.randomNormal(shape, 0, 1, 'float32', 5);
      const run = (m: tf.Sequential) => {
        const vars = [
          m.layers[0]!.trainableWeights[0]!.read(),
          m.layers[0]!.trainableWeights[1]!.read(),
        ] as tf.Variable[];
        const f = (xx: tf.Tensor) => tf.sum(tf.mul(m.apply(xx, { training: true }) as tf.Tensor, r)) as tf.Scalar;
        const gx = tf.grad(f)(x);
        const { value, grads } = tf.variableGrads(() => f(x), vars);
        const y = m.apply(x, { training: true }) as tf.Tensor;
        return { y, gx, value, gg: grads[vars[0]!.name]!, gb: grads[vars[1]!.name]! };
      };
      const a = run(ours);
      const b = run(ref);
      expect(maxRelDiff(a.y, b.y)).toBeLessThan(1e-5);
      expect(maxRelDiff(a.value, b.value)).toBeLessThan(1e-5);
      expect(maxRelDiff(a.gx, b.gx)).toBeLessThan(1e-4);
      expect(maxRelDiff(a.gg, b.gg)).toBeLessThan(1e-4);
      expect(maxRelDiff(a.gb, b.gb)).toBeLessThan(1e-4);
      // three training-mode calls each: moving mean and variance moved alike
      const wa = ours.layers[0]!.getWeights();
      const wb = ref.layers[0]!.getWeights();
      expect(maxRelDiff(wa[2]!, wb[2]!)).toBeLessThan(1e-5);
      expect(maxRelDiff(wa[3]!, wb[3]!)).toBeLessThan(1e-5);
      const ia = ours.apply(x, { training: false }) as tf.Tensor;
      const ib = ref.apply(x, { training: false }) as tf.Tensor;
      expect(maxRelDiff(ia, ib)).toBeLessThan(1e-5);
      tf.dispose([x, r, ia, ib, ...Object.values(a), ...Object.values(b)]);
      ours.dispose();
      ref.dispose();
    });
  }

  it('is the standard layer to serialisation and export, and keeps tensor counts flat', () => {
    const { ours, ref } = pair([4, 3, 3, 2], 6);
    expect(ours.layers[0]!.getClassName()).toBe('BatchNormalization');
    expect(JSON.stringify(ours.layers[0]!.getConfig())).toBe(
      JSON.stringify({ ...ref.layers[0]!.getConfig(), name: 'bn_ours' }),
    );
    const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 7);
    const vars = ours.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(ours.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    expect(tensorsLeftBy(step, 4)).toBe(0);
    x.dispose();
    ours.dispose();
    ref.dispose();
  });

  it('batchNormTraining returns the biased batch statistics', () => {
    const x = tf.randomNormal([10, 4], 3, 2, 'float32', 8);
    const { y, mean, variance } = batchNormTraining(x, tf.ones([4]), tf.zeros([4]), 1e-5);
    const m = tf.moments(x, 0);
    expect(maxRelDiff(mean, m.mean)).toBeLessThan(1e-6);
    expect(maxRelDiff(variance, m.variance)).toBeLessThan(1e-5);
    expect(maxRelDiff(tf.moments(y, 0).variance, tf.onesLike(variance))).toBeLessThan(1e-4);
    tf.dispose([x, y, mean, variance, m.mean, m.variance]);
  });
});
