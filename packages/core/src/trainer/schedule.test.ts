import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from './clip-grad-norm.js';
import { learningRateAt } from './schedule.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../tools/fixtures/optim/${name}`, import.meta.url)), 'utf8'));

describe('learningRateAt vs torch LinearLR + CosineAnnealingLR', () => {
  const cases = fixture('schedules.json') as {
    kind: 'cosine' | 'constant';
    peak: number;
    warmupSteps: number;
    totalSteps: number;
    minLrRatio: number;
    lrs: number[];
  }[];
  for (const c of cases) {
    it(`${c.kind} peak ${c.peak} warm-up ${c.warmupSteps} of ${c.totalSteps}`, () => {
      c.lrs.forEach((lr, step) => {
        const ours = learningRateAt(step, c.totalSteps, c.peak, c);
        expect(Math.abs(ours - lr), `step ${step}`).toBeLessThan(1e-9 + 1e-9 * c.peak);
      });
    });
  }
});

describe('clipByGlobalNorm vs torch.nn.utils.clip_grad_norm_', () => {
  const cases = fixture('clip-grad-norm.json') as {
    maxNorm: number;
    totalNorm: number;
    grads: Record<string, number[]>;
    clipped: Record<string, number[]>;
  }[];
  for (const c of cases) {
    it(`max norm ${c.maxNorm}`, () => {
      const grads = new Map(Object.entries(c.grads).map(([k, v]) => [k, tf.tensor(v)] as const));
      const before = tf.memory().numTensors;
      const out = clipByGlobalNorm(grads, c.maxNorm);
      expect(out.norm).toBeCloseTo(c.totalNorm, 4);
      for (const [k, g] of out.grads) {
        const got = (g.arraySync() as number[][]).flat(2) as number[];
        const want = [c.clipped[k]!].flat(2) as number[];
        got.forEach((x, i) => {
          expect(Math.abs(x - want[i]!)).toBeLessThan(1e-6);
        });
      }
      tf.dispose([...out.grads.values()]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...grads.values()]);
    });
  }
});
