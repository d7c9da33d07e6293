// The random-init baseline of the results tables: a fresh conv-small keeps running mean 0 and
// variance 1 in its batch norms, which on MNIST squashes its embeddings to a few directions;
// with the statistics re-estimated on the images (core's reestimateBatchNorm) the same weights
// spread their embeddings over many more.
import { collapseDiagnostics, embedDataset, initBackend, Rng, reestimateBatchNorm } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIdx } from '../io/idx.js';
import { dataFile } from '../test-support/data.js';
import { convSmallConfig, createConvSmall } from './conv-small.js';

describe('reestimateBatchNorm on a random-init conv-small (MNIST)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('raises the effective rank of the embeddings and moves the running statistics to the data', async () => {
    const images = await loadIdx(dataFile('mnist', 'train-images-idx3-ubyte'), { limit: 512 });
    const encoder = createConvSmall(convSmallConfig([28, 28, 1], { width: 16 }), new Rng(1));
    const rank = () => {
      const z = embedDataset((x: tf.Tensor) => encoder.apply(x, false), images, 128);
      const d = collapseDiagnostics(z);
      z.dispose();
      return d.effectiveRank;
    };
    const before = rank();
    const mean = encoder.allVariables().get('encoder/bn1/moving_mean')!;
    expect(Math.max(...mean.dataSync().map(Math.abs))).toBe(0);
    const n = tf.memory().numTensors;
    expect(reestimateBatchNorm(encoder, images, { batchSize: 128 })).toEqual({ layers: 3, samples: 512 });
    expect(tf.memory().numTensors).toBe(n);
    expect(Math.max(...mean.dataSync().map(Math.abs))).toBeGreaterThan(1e-3);
    const after = rank();
    console.log(`effective rank of 64: ${before.toFixed(1)} at init, ${after.toFixed(1)} with re-estimated statistics`);
    expect(after).toBeGreaterThan(before * 1.5);
    encoder.dispose();
    images.dispose();
  });
});
