import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { adoptParam, createParam, disposeParams, type ParamMap } from './params.js';

describe('createParam', () => {
  it('adds exactly one tensor per parameter (the variable), and disposing gives them back', () => {
    const params: ParamMap = new Map();
    const rng = new Rng(0);
    const before = tf.memory().numTensors;
    createParam(params, 'a', [3, 4], { kind: 'normal', std: 0.1 }, rng);
    createParam(params, 'b', [4], { kind: 'ones' }, rng);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(params.get('b')!.dataSync())).toEqual([1, 1, 1, 1]);
    for (const v of params.values()) v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('adoptParam', () => {
  it('holds the initial tensor with its shape and flag, adding exactly one tensor per parameter', () => {
    const params: ParamMap = new Map();
    const before = tf.memory().numTensors;
    const w = adoptParam(params, 'w', () => tf.add(tf.eye(2), 1));
    const q = adoptParam(params, 'queue/pointer', () => tf.scalar(3), { trainable: false });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect([w.shape, w.trainable, Array.from(w.dataSync())]).toEqual([[2, 2], true, [2, 1, 1, 2]]);
    expect([q.shape, q.trainable, q.dataSync()[0]]).toEqual([[], false, 3]);
    expect([...params.keys()]).toEqual(['w', 'queue/pointer']);
    disposeParams(params);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("leaves a tensor of the caller's to the caller, and a step on the variable does not reach it", () => {
    const params: ParamMap = new Map();
    const given = tf.tensor1d([1, 2]);
    const v = adoptParam(params, 'b', () => given);
    v.assign(tf.tensor1d([5, 6]));
    expect(given.isDisposed).toBe(false);
    expect(Array.from(given.dataSync())).toEqual([1, 2]);
    disposeParams(params);
    expect(Array.from(given.dataSync())).toEqual([1, 2]);
    given.dispose();
  });

  it('refuses a name the map already has, creating nothing', () => {
    const params: ParamMap = new Map();
    adoptParam(params, 'b', () => tf.zeros([2]));
    const before = tf.memory().numTensors;
    expect(() => adoptParam(params, 'b', () => tf.zeros([2]))).toThrow(/parameter 'b' already exists/);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });
});
