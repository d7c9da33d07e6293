import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { initTransformer, transformer, transformerBlockOutputs } from '../nn/transformer.js';
import type { ParamMap } from '../nn/params.js';
import { Rng } from '../random/rng.js';
import { DATA2VEC_COMMON_OPTIONS, Data2VecTeacher, linearMomentum } from './data2vec-teacher.js';
import { optionDefaults } from './option-schema.js';

const stack = { layers: 3, dim: 8, heads: 2, contextLength: 6 };
const opts = { ...optionDefaults(DATA2VEC_COMMON_OPTIONS), topK: 2, layerNorm: 'layer' as const };

function net(seed: number): ParamMap {
  const p: ParamMap = new Map();
  initTransformer(p, 'encoder/', stack, new Rng(seed));
  return p;
}

describe('linearMomentum', () => {
  it('runs linearly from tau0 to tauEnd and clamps', () => {
    expect(linearMomentum(0, 100, 0.99, 0.999)).toBe(0.99);
    expect(linearMomentum(50, 100, 0.99, 0.999)).toBeCloseTo(0.9945, 12);
    expect(linearMomentum(100, 100, 0.99, 0.999)).toBeCloseTo(0.999, 12);
    expect(linearMomentum(500, 100, 0.99, 0.999)).toBeCloseTo(0.999, 12);
    expect(() => linearMomentum(0, 100, 1.5, 0.999)).toThrow(ConfigError);
    expect(() => linearMomentum(0, 0, 0.99, 0.999)).toThrow(ConfigError);
  });
});

describe('transformerBlockOutputs', () => {
  it('its output is bit-identical to transformer and it returns one tensor per block', () => {
    const p = net(1);
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const ref = transformer(p, 'encoder/', x, stack);
    const { blocks, output } = transformerBlockOutputs(p, 'encoder/', x, stack);
    expect(blocks).toHaveLength(3);
    for (const b of blocks) expect(b.shape).toEqual([2, 5, 8]);
    expect(Array.from(output.dataSync())).toEqual(Array.from(ref.dataSync()));
    tf.dispose([x, ref, output, ...blocks, ...p.values()]);
  });
});

describe('Data2VecTeacher', () => {
  it('starts equal to the student and moves by EMA with the scheduled momentum', () => {
    const student = net(1);
    const teacher = net(2);
    const t = new Data2VecTeacher(student, teacher, 8, opts, new Rng(0));
    for (const [k, v] of student) expect(Array.from(teacher.get(k)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    const before = new Map([...teacher].map(([k, v]) => [k, v.dataSync().slice()]));
    for (const v of student.values()) v.assign(tf.add(v, 1));
    const m = t.momentum({ step: 5, totalSteps: 10 });
    expect(m).toBeCloseTo((0.99 + 0.999) / 2, 12);
    const n0 = tf.memory().numTensors;
    t.update({ step: 5, totalSteps: 10 });
    expect(tf.memory().numTensors).toBe(n0);
    for (const [k, v] of teacher) {
      const got = v.dataSync();
      const b = before.get(k)!;
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(b[i]! + (1 - m), 5);
    }
    expect([...t.stateVariables().keys()].every((k) => k.startsWith('teacher/encoder/'))).toBe(true);
    t.dispose();
    tf.dispose([...student.values(), ...teacher.values()]);
  });

  it('targets of an untrained net are [B, T, D], layer-normed blocks average to zero mean per position', () => {
    const p = net(1);
    const t = new Data2VecTeacher(p, net(4), 8, opts, new Rng(0));
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const { blocks, output } = transformerBlockOutputs(p, 'encoder/', x, stack);
    const y = t.targets(blocks);
    expect(y.shape).toEqual([2, 5, 8]);
    const { mean, variance } = tf.moments(y, 2);
    for (const v of mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-5);
    // The mean of two unit-variance rows has variance in (0, 1]: > 0 unless the blocks cancel.
    for (const v of variance.dataSync()) {
      expect(v).toBeGreaterThan(0.1);
      expect(v).toBeLessThanOrEqual(1 + 1e-4);
    }
    const mask = tf.tensor2d([
      [1, 0, 0, 1, 0],
      [0, 1, 0, 0, 0],
    ]);
    const n0 = tf.memory().numTensors;
    const out = t.loss(output, blocks, mask, 0.99);
    expect(out.loss.dataSync()[0]).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(n0 + 3);
    tf.dispose([
      out.loss,
      ...Object.values(out.metrics!),
      x,
      y,
      mean,
      variance,
      mask,
      output,
      ...blocks,
      ...p.values(),
    ]);
    t.dispose();
  });

  it('refuses a teacher whose variables do not match the student', () => {
    const p = net(1);
    const q = net(2);
    q.delete('encoder/ln_f/gamma');
    expect(() => new Data2VecTeacher(p, q, 8, opts, new Rng(0))).toThrow(ConfigError);
  });
});
