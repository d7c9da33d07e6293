/**
 * tapeGradients against tf.variableGrads on every test backend: the same loss and bit-identical
 * gradients through convolutions, the fused batch norm (a custom gradient), ReLU, a residual
 * add, a variable used twice and a variable the loss does not reach; a lower peak of tensor
 * memory; no tensors left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { batchNormTraining } from '../nn/batch-norm.js';
import { describeOnBackends } from '../test-support/on-backends.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';
import { tapeGradients } from './tape-gradients.js';

/** A small residual conv net (conv - BN - ReLU - conv - BN, + shortcut, ReLU, x `depth`) with a scalar loss. */
function residualNet(depth: number, seed: number) {
  const c = 4;
  const v = (shape: number[], s: number, name: string) =>
    tf.variable(tf.randomNormal(shape, 0, 0.4, 'float32', s), true, `${name}_${seed}`);
  const vars: tf.Variable[] = [];
  for (let i = 0; i < depth; i++) {
    vars.push(v([3, 3, c, c], seed + 10 * i, `w1_${i}`), v([3, 3, c, c], seed + 10 * i + 1, `w2_${i}`));
  }
  const gamma = v([c], seed + 1000, 'gamma');
  const beta = v([c], seed + 1001, 'beta');
  const unused = v([c], seed + 1002, 'unused');
  const x = tf.randomNormal([2, 6, 6, c], 0, 1, 'float32', seed + 2000);
  const loss = () => {
    let h = x as tf.Tensor4D;
    const stats: tf.Tensor[] = [];
    const bn = (t: tf.Tensor) => {
      const r = batchNormTraining(t, gamma, beta, 1e-5);
      stats.push(r.mean, r.variance);
      return r.y as tf.Tensor4D;
    };
    for (let i = 0; i < depth; i++) {
      const y = tf.relu(bn(tf.conv2d(h, vars[2 * i] as tf.Tensor4D, 1, 'same')));
      h = tf.relu(tf.add(bn(tf.conv2d(y, vars[2 * i + 1] as tf.Tensor4D, 1, 'same')), h)) as tf.Tensor4D;
    }
    tf.dispose(stats);
    return tf.mean(tf.square(h)) as tf.Scalar;
  };
  return { vars: [...vars, gamma, beta, unused], loss, dispose: () => tf.dispose([...vars, gamma, beta, unused, x]) };
}

await describeOnBackends('tapeGradients', () => {
  it('gives the loss and gradients of tf.variableGrads bit for bit', () => {
    const net = residualNet(3, 1);
    const ref = tf.variableGrads(net.loss, net.vars);
    const ours = tapeGradients(net.loss, net.vars);
    expect(ours.value.dataSync()[0]).toBe(ref.value.dataSync()[0]);
    expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(ref.grads).sort());
    expect(Object.keys(ours.grads)).not.toContain('unused_1');
    for (const [name, g] of Object.entries(ref.grads)) {
      expect(Array.from(ours.grads[name]!.dataSync()), name).toEqual(Array.from(g!.dataSync()));
    }
    tf.dispose([ref.value, ours.value, ...Object.values(ref.grads), ...Object.values(ours.grads)] as tf.Tensor[]);
    net.dispose();
  });

  it('accumulates the gradient of a variable used twice as tfjs does', () => {
    const a = tf.variable(tf.tensor1d([0.5, -1.5, 2]), true, 'twice_a');
    const f = () => tf.sum(tf.mul(tf.mul(a, a), tf.exp(a))) as tf.Scalar;
    const ref = tf.variableGrads(f, [a]);
    const ours = tapeGradients(f, [a]);
    expect(Array.from(ours.grads.twice_a!.dataSync())).toEqual(Array.from(ref.grads.twice_a!.dataSync()));
    tf.dispose([a, ref.value, ours.value, ref.grads.twice_a!, ours.grads.twice_a!]);
  });

  it('holds less tensor memory in the backward pass than tf.variableGrads, and leaves no tensors behind', async () => {
    const net = residualNet(6, 2);
    /** Most bytes of live tensors (tfjs's count) after any kernel of the backward pass. */
    const backwardPeak = async (grads: typeof tapeGradients) => {
      const profile = () =>
        (tf.engine() as unknown as { state: { activeProfile: { kernels: unknown[] } } }).state.activeProfile;
      let forwardKernels = 0;
      const loss = () => {
        const l = net.loss();
        forwardKernels = profile().kernels.length;
        return l;
      };
      const info = await tf.profile(() => {
        const r = grads(loss, net.vars);
        tf.dispose([r.value, ...Object.values(r.grads)]);
      });
      return Math.max(...info.kernels.slice(forwardKernels).map((k) => k.totalBytesSnapshot));
    };
    const ref = await backwardPeak(
      (f, v) => tf.variableGrads(f, v as tf.Variable[]) as ReturnType<typeof tapeGradients>,
    );
    const ours = await backwardPeak(tapeGradients);
    expect(ours).toBeLessThan(0.75 * ref);
    const left = tensorsLeftBy(() => {
      const r = tapeGradients(net.loss, net.vars);
      tf.dispose([r.value, ...Object.values(r.grads)]);
    }, 3);
    expect(left).toBe(0);
    net.dispose();
  });

  it('refuses a list without trainable variables', () => {
    const frozen = tf.variable(tf.scalar(1), false, 'frozen_v');
    expect(() => tapeGradients(() => tf.square(frozen) as tf.Scalar, [frozen])).toThrow(/trainable/);
    frozen.dispose();
  });
});
