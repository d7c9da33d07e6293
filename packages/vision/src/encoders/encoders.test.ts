import { assignByName, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convSmallConfig } from './conv-small.js';
import { mlpConfig } from './mlp.js';
import { createEncoder } from './registry.js';

const input = () => tf.tidy(() => tf.randomUniform([3, 12, 12, 1], 0, 1, 'float32', 5));

describe('vision encoders', () => {
  for (const config of [
    convSmallConfig([12, 12, 1], { width: 4 }),
    mlpConfig([12, 12, 1], { hidden: [16], outputDim: 8 }),
  ]) {
    it(`${config.kind}: shape, seeded init, and rebuild from config + weights by name`, () => {
      const x = input();
      const a = createEncoder(config, new Rng(1));
      const b = createEncoder(config, new Rng(1));
      const c = createEncoder(config, new Rng(2));
      const za = a.apply(x, false);
      expect(za.shape).toEqual([3, config.outputDim]);
      expect(Array.from(b.apply(x, false).dataSync())).toEqual(Array.from(za.dataSync()));
      const zc = c.apply(x, false);
      expect(Array.from(zc.dataSync())).not.toEqual(Array.from(za.dataSync()));
      // names are stable across instances in one process, and restoring by name reproduces a
      const names = [...a.allVariables().keys()];
      expect([...c.allVariables().keys()]).toEqual(names);
      expect(names.every((n) => n.startsWith('encoder/'))).toBe(true);
      tf.dispose(a.apply(x, true)); // a training pass moves a's batch-norm statistics
      const saved: tf.NamedTensorMap = {};
      for (const [n, v] of a.allVariables()) saved[n] = v;
      assignByName(c.allVariables(), saved, 'test');
      const za2 = a.apply(x, false);
      expect(Array.from(c.apply(x, false).dataSync())).toEqual(Array.from(za2.dataSync()));
      if (config.kind === 'conv-small') {
        expect(names).toContain('encoder/bn1/moving_mean');
        expect([...a.trainableVariables().keys()]).not.toContain('encoder/bn1/moving_mean');
      }
      for (const e of [a, b, c]) e.dispose();
      tf.dispose([x, za, zc, za2]);
    });
  }

  it('rejects configs that do not fit', () => {
    expect(() => convSmallConfig([28, 28])).toThrow(/needs images \[height, width, channels\]/);
    expect(() => convSmallConfig([4, 4, 1], { blocks: 4 })).toThrow(/4 blocks do not fit images of 4x4/);
    expect(() =>
      createEncoder({ kind: 'conv-small', modality: 'audio', outputDim: 1, inputShape: [] }, new Rng(0)),
    ).toThrow(/modality 'audio'/);
    expect(() => createEncoder({ kind: 'vit', modality: 'vision', outputDim: 1, inputShape: [] }, new Rng(0))).toThrow(
      /unknown vision encoder 'vit'; known: conv-small, mlp/,
    );
  });
});
