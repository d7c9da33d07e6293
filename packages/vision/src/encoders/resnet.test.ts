import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignByName, initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, encoders } from './registry.js';
import { type ResNetConfig, resnetConfig } from './resnet.js';

// PyTorch references: tools/fixtures/vision/resnet_reference.py
interface Flat {
  shape: number[];
  values: number[];
}
interface Reference {
  paramCounts: { channels: number; width: number; stem: 'small' | 'imagenet'; params: number }[];
  forward: { stem: 'small' | 'imagenet'; width: number; input: Flat; weights: Record<string, Flat>; output: Flat }[];
}
const ref = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'fixtures', 'vision', 'resnet_reference.json'),
    'utf8',
  ),
) as Reference;

const trainableCount = (config: ResNetConfig) => {
  const e = createEncoder(config, new Rng(0));
  let n = 0;
  for (const v of e.trainableVariables().values()) n += v.size;
  e.dispose();
  return n;
};

describe('resnet18 encoder', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('output shapes for 28x28x1, 32x32x3 and 96x96x3 (width 8), and the default stem by size', () => {
    for (const shape of [
      [28, 28, 1],
      [32, 32, 3],
      [96, 96, 3],
    ]) {
      const config = encoders.get('resnet18').config(shape, { width: 8 }) as ResNetConfig;
      expect(config.stem).toBe(shape[0]! < 64 ? 'small' : 'imagenet');
      const e = createEncoder(config, new Rng(1));
      const x = tf.zeros([2, ...shape]);
      const z = e.apply(x, false);
      expect(z.shape).toEqual([2, 64]);
      expect(config.outputDim).toBe(64);
      tf.dispose([x, z]);
      e.dispose();
    }
  });

  it('trainable parameter counts equal the PyTorch BasicBlock ResNet-18 (11,176,512 at width 64)', () => {
    expect(ref.paramCounts[0]!.params).toBe(11176512);
    for (const c of ref.paramCounts) {
      const config = resnetConfig([c.stem === 'small' ? 32 : 64, c.stem === 'small' ? 32 : 64, c.channels], {
        width: c.width,
        stem: c.stem,
      });
      expect(trainableCount(config)).toBe(c.params);
    }
  });

  for (const f of ref.forward) {
    it(`${f.stem} stem: eval-mode output equals PyTorch's with the same weights`, () => {
      const side = f.input.shape[1]!;
      const e = createEncoder(resnetConfig([side, side, 3], { width: f.width, stem: f.stem }), new Rng(0));
      const tensors: tf.NamedTensorMap = {};
      for (const [name, w] of Object.entries(f.weights)) tensors[name] = tf.tensor(w.values, w.shape);
      expect(Object.keys(tensors).sort()).toEqual([...e.allVariables().keys()].sort());
      assignByName(e.allVariables(), tensors, 'resnet_reference.json');
      const x = tf.tensor4d(f.input.values, f.input.shape as [number, number, number, number]);
      const z = e.apply(x, false);
      expect(z.shape).toEqual(f.output.shape);
      const zv = z.dataSync();
      const err = Math.max(...f.output.values.map((v, i) => Math.abs(v - zv[i]!)));
      expect(err).toBeLessThan(1e-4);
      tf.dispose([x, z, ...Object.values(tensors)]);
      e.dispose();
    });
  }

  it('seeded init, and training steps leak no tensors', () => {
    const config = resnetConfig([8, 8, 3], { width: 2 });
    const a = createEncoder(config, new Rng(3));
    const b = createEncoder(config, new Rng(3));
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const za = a.apply(x, false);
    const zb = b.apply(x, false);
    expect(Array.from(zb.dataSync())).toEqual(Array.from(za.dataSync()));
    const vars = [...a.trainableVariables().values()];
    const opt = tf.train.sgd(0.01);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(a.apply(x, true))) as tf.Scalar, vars);
      opt.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => resnetConfig([16, 16, 3], { stem: 'imagenet' })).toThrow(/at least 32/);
    expect(() => resnetConfig([16, 16, 3], { width: 0 })).toThrow(/positive integer/);
    tf.dispose([x, za, zb]);
    opt.dispose();
    a.dispose();
    b.dispose();
  });
});
