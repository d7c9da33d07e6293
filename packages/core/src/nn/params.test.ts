import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { createParam, type ParamMap } from './params.js';

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
