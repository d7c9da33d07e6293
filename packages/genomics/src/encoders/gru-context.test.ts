import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GruContext } from './gru-context.js';

// torch.nn.GRU outputs from tools/fixtures/genomics/generate.py.
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../../../tools/fixtures/genomics/reference.json');
type Gates = { z: number[][]; r: number[][]; h: number[][] };
interface GruCase {
  x: number[][][];
  kernel: Gates;
  recurrentKernel: Gates;
  bias: { z: number[]; r: number[]; h: number[] };
  recurrentBias: number[];
  output: number[][][];
}
const { gru } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { gru: GruCase[] };

describe('GruContext', () => {
  it('matches torch.nn.GRU given the same weights', () => {
    const c = gru[0]!;
    const g = new GruContext(c.x[0]![0]!.length, c.recurrentBias.length, new Rng(0));
    for (const k of ['z', 'r', 'h'] as const) {
      g.kernels[k].assign(tf.tensor2d(c.kernel[k]));
      g.recurrentKernels[k].assign(tf.tensor2d(c.recurrentKernel[k]));
      g.biases[k].assign(tf.tensor1d(c.bias[k]));
    }
    g.recurrentBias.assign(tf.tensor1d(c.recurrentBias));
    const before = tf.memory().numTensors;
    const x = tf.tensor3d(c.x);
    const y = g.apply(x);
    const got = Array.from(y.dataSync());
    const want = c.output.flat(2);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
  });
});
