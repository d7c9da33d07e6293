// The weighted kNN probe against an independent brute-force reference written here in plain
// float64 JS: cosine similarity, the k most similar training rows, votes weighted exp(sim / T).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { knnProbe } from './knn-probe.js';

function bruteForce(train: number[][], trainY: number[], test: number[][], k: number, t: number, classes: number) {
  const unit = (v: number[]) => {
    const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    return v.map((x) => x / n);
  };
  const bank = train.map(unit);
  return test.map((q0) => {
    const q = unit(q0);
    const sims = bank.map((b, i) => ({ s: b.reduce((acc, x, j) => acc + x * q[j]!, 0), y: trainY[i]! }));
    sims.sort((a, b) => b.s - a.s);
    const score = new Array<number>(classes).fill(0);
    for (const { s, y } of sims.slice(0, k)) score[y]! += Math.exp(s / t);
    return score.indexOf(Math.max(...score));
  });
}

describe('knnProbe against a brute-force reference', () => {
  // Three overlapping Gaussian classes in 6-d, so k and T change predictions.
  const rng = new Rng(5);
  const make = (n: number) => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      x.push(Array.from({ length: 6 }, (_, j) => (j % 3 === c ? 0.8 : 0) + rng.normal()));
      y.push(c);
    }
    return { x, y };
  };
  const train = make(450);
  const test = make(120);
  for (const [k, t] of [
    [20, 0.07],
    [200, 0.07],
    [200, 1],
  ] as const) {
    it(`k=${k}, T=${t}: the same predictions`, () => {
      const trainX = tf.tensor2d(train.x);
      const testX = tf.tensor2d(test.x);
      const r = knnProbe({ trainX, trainY: train.y, testX, testY: test.y, k, temperature: t, chunkSize: 50 });
      const want = bruteForce(train.x, train.y, test.x, k, t, 3);
      const agree = want.filter((p, i) => p === r.predictions[i]).length;
      // Float32 similarities may flip an exact near-tie; allow one.
      expect(agree).toBeGreaterThanOrEqual(want.length - 1);
      tf.dispose([trainX, testX]);
    });
  }
});
