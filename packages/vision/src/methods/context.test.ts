import { initBackend, type NetEncoder, optionDefaults, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { buildEncoder, IMAGE_METHOD_OPTIONS } from './view-options.js';
import { ContextTask, createContext } from './context.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

it('context prediction draws `pairs` centre-neighbour pairs per image: the encoder sees 2 * pairs * N patches', () => {
  const rng = new Rng(0);
  const encoder = buildEncoder({ ...optionDefaults(IMAGE_METHOD_OPTIONS), width: 4 }, [28, 28, 1], rng);
  const seen: number[][] = [];
  const recording = {
    apply: (x: tf.Tensor, training: boolean) => {
      seen.push(x.shape);
      return encoder.apply(x, training);
    },
  } as unknown as NetEncoder;
  const images = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  for (const pairs of [1, 3]) {
    const task = new ContextTask(encoder.config.outputDim, 16, { patch: 7, gap: 2, jitter: 1 }, rng, pairs);
    tf.tidy(() => {
      const out = task.run(recording, images, rng);
      // the accuracy is a multiple of 1 / (pairs * N): it counts pairs * N answers
      const k = out.accuracy.dataSync()[0]! * pairs * 5;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-4);
    });
    expect(seen.at(-1)).toEqual([2 * pairs * 5, 7, 7, 1]);
    task.dispose();
  }
  images.dispose();
  encoder.dispose();
});

it('context prediction rejects a pair count below 1', () => {
  expect(() => createContext([28, 28, 1], { width: 4, pairs: 0 }, new Rng(0))).toThrow(/pairs/);
});
