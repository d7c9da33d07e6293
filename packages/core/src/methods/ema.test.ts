import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.js';
import { cosineMomentum, emaUpdate } from './ema.js';

function vars(entries: Record<string, number[]>): Map<string, tf.Variable> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, tf.variable(tf.tensor1d(v), false)]));
}

describe('emaUpdate', () => {
  it('moves every target towards its online variable by (1 - momentum), by name', () => {
    const target = vars({ a: [1, 2], b: [10] });
    // Insertion order differs from the target's: matching is by name.
    const online = vars({ b: [20], a: [3, -2] });
    emaUpdate(target, online, 0.9);
    const a = Array.from(target.get('a')!.dataSync());
    expect(a[0]).toBeCloseTo(0.9 * 1 + 0.1 * 3, 6);
    expect(a[1]).toBeCloseTo(0.9 * 2 + 0.1 * -2, 6);
    expect(target.get('b')!.dataSync()[0]).toBeCloseTo(0.9 * 10 + 0.1 * 20, 5);
    // The online variables are untouched.
    expect(Array.from(online.get('a')!.dataSync())).toEqual([3, -2]);
    emaUpdate(target, online, 0);
    expect(Array.from(target.get('a')!.dataSync())).toEqual([3, -2]);
    tf.dispose([...target.values(), ...online.values()]);
  });

  it('names the missing or mismatched variable', () => {
    const target = vars({ a: [1, 2], b: [1] });
    expect(() => emaUpdate(target, vars({ a: [1, 2] }), 0.99)).toThrow(/'b'/);
    expect(() => emaUpdate(target, vars({ a: [1, 2] }), 0.99)).toThrow(ConfigError);
    expect(() => emaUpdate(target, vars({ a: [1, 2], b: [1], c: [0] }), 0.99)).toThrow(/'c'/);
    expect(() => emaUpdate(target, vars({ a: [1, 2, 3], b: [1] }), 0.99)).toThrow(ShapeError);
    expect(() => emaUpdate(target, vars({ a: [1, 2, 3], b: [1] }), 0.99)).toThrow(/'a'.*\[2\].*\[3\]/);
    expect(() => emaUpdate(target, target, 1.5)).toThrow(ConfigError);
    // Nothing was half-updated by the failing calls.
    expect(Array.from(target.get('a')!.dataSync())).toEqual([1, 2]);
  });

  it('keeps the tensor count flat across repeated updates', () => {
    const target = vars({ w: [0, 0, 0] });
    const online = vars({ w: [1, 1, 1] });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) emaUpdate(target, online, 0.5);
    expect(tf.memory().numTensors).toBe(before);
    expect(target.get('w')!.dataSync()[0]).toBeCloseTo(1 - 0.5 ** 10, 6);
    tf.dispose([...target.values(), ...online.values()]);
  });
});

describe('cosineMomentum', () => {
  it('follows BYOL: base at 0, final at K, their mean at K/2, increasing', () => {
    expect(cosineMomentum(0, 100)).toBeCloseTo(0.996, 12);
    expect(cosineMomentum(100, 100)).toBeCloseTo(1, 12);
    expect(cosineMomentum(50, 100)).toBeCloseTo(0.998, 12);
    // 1 - (1 - 0.99) (cos(pi / 4) + 1) / 2 at k = K/4.
    expect(cosineMomentum(25, 100, 0.99)).toBeCloseTo(1 - (0.01 * (Math.SQRT1_2 + 1)) / 2, 12);
    expect(cosineMomentum(10, 40, 0.9, 0.99)).toBeCloseTo(0.99 - (0.09 * (Math.cos(Math.PI / 4) + 1)) / 2, 12);
    let prev = 0;
    for (let k = 0; k <= 20; k++) {
      const m = cosineMomentum(k, 20);
      expect(m).toBeGreaterThanOrEqual(prev);
      prev = m;
    }
    expect(cosineMomentum(500, 100)).toBe(1);
    expect(() => cosineMomentum(0, 0)).toThrow(ConfigError);
  });
});
