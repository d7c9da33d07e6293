import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TensorDataset } from '../data/dataset.js';
import { NetEncoder } from '../methods/net-encoder.js';
import { NetBuilder } from '../nn/net.js';
import { batchNorm, dense, relu } from '../nn/net-layers.js';
import { batchNormStatistics, reestimateBatchNorm } from './reestimate-batch-norm.js';

/** Dense(4) -> batch norm (momentum `momentum`) -> ReLU, on 3 inputs. */
function denseBnEncoder(momentum: number): NetEncoder {
  const net = new NetBuilder('test', 'encoder/', [3]);
  let x = net.apply(
    'fc',
    dense({ units: 4, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }),
    net.input(),
  );
  x = net.apply('bn', batchNorm({ momentum, epsilon: 1e-5 }), x);
  x = net.apply('relu', relu(), x);
  return new NetEncoder({ kind: 'test', modality: 'test', outputDim: 4, inputShape: [3] }, net.build(x));
}

/** 300 rows far from zero mean and unit variance, so the initial statistics are wrong. */
function offsetData(): number[][] {
  return Array.from({ length: 300 }, (_, i) => [5 + Math.sin(i), -3 + 2 * Math.cos(0.7 * i), 10 + ((i * 37) % 11)]);
}

describe('reestimateBatchNorm', () => {
  for (const momentum of [0.9, 0.99]) {
    it(`sets the running statistics to the data's, computed by brute force (momentum ${momentum}, batches of 64)`, () => {
      const encoder = denseBnEncoder(momentum);
      const rows = offsetData();
      const data = new TensorDataset(
        tf.tensor2d(rows),
        Int32Array.from(rows, () => 0),
      );
      const [bn] = batchNormStatistics(encoder);
      expect(bn!.name).toBe('encoder/bn');
      expect([...bn!.mean.dataSync()]).toEqual([0, 0, 0, 0]);
      const kernel = encoder.allVariables().get('encoder/fc/kernel')!.arraySync() as number[][];
      const bias = encoder.allVariables().get('encoder/fc/bias')!.arraySync() as number[];
      // The batch-norm input of every row, in float64, and its population mean and variance.
      const h = rows.map((x) => bias.map((b, c) => b + x.reduce((s, v, k) => s + v * kernel[k]![c]!, 0)));
      const mean = bias.map((_, c) => h.reduce((s, r) => s + r[c]!, 0) / h.length);
      const variance = mean.map((m, c) => h.reduce((s, r) => s + (r[c]! - m) ** 2, 0) / h.length);

      const before = tf.memory().numTensors;
      const trainable = [...encoder.trainableVariables().values()].map((v) => v.dataSync().slice());
      const r = reestimateBatchNorm(encoder, data, { batchSize: 64 });
      expect(tf.memory().numTensors).toBe(before);
      expect(r).toEqual({ layers: 1, samples: 300 });
      const gotMean = [...bn!.mean.dataSync()];
      const gotVar = [...bn!.variance.dataSync()];
      for (let c = 0; c < 4; c++) {
        expect(Math.abs(gotMean[c]! - mean[c]!)).toBeLessThan(1e-3 * (1 + Math.abs(mean[c]!)));
        expect(Math.abs(gotVar[c]! - variance[c]!)).toBeLessThan(1e-3 * (1 + variance[c]!));
      }
      // Trainable weights are untouched.
      expect([...encoder.trainableVariables().values()].map((v) => v.dataSync().slice())).toEqual(trainable);
      // In inference mode the batch-norm output is now standardised on this data.
      const z = tf.tidy(() => encoder.net.applyTo(data.inputs, false, 'bn'));
      const m = tf.moments(z, 0);
      for (const v of m.mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-2);
      for (const v of m.variance.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-2);
      tf.dispose([z, m.mean, m.variance]);
      data.dispose();
      encoder.dispose();
    });
  }

  it('reads only maxSamples and leaves an encoder without batch norm alone', () => {
    const encoder = denseBnEncoder(0.9);
    const rows = offsetData();
    const data = new TensorDataset(
      tf.tensor2d(rows),
      Int32Array.from(rows, () => 0),
    );
    expect(reestimateBatchNorm(encoder, data, { maxSamples: 100 }).samples).toBe(100);
    const plainNet = new NetBuilder('plain', 'encoder/', [3]);
    const fc = dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const plain = new NetEncoder(
      { kind: 'test', modality: 'test', outputDim: 2, inputShape: [3] },
      plainNet.build(plainNet.apply('fc', fc, plainNet.input())),
    );
    expect(reestimateBatchNorm(plain, data)).toEqual({ layers: 0, samples: 0 });
    data.dispose();
    encoder.dispose();
    plain.dispose();
  });
});
