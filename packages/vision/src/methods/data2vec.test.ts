import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collapseDiagnostics, initBackend, Rng, type TensorDataset, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIdx } from '../io/idx.js';
import { dataFile } from '../test-support/data.js';
import { Data2VecVision } from './data2vec.js';
import { methods } from './registry.js';

const small = { encoder: 'conv-small', width: 8 };
let data: TensorDataset;
beforeAll(async () => {
  await initBackend({ quiet: true });
  data = await loadIdx(dataFile('fashion-mnist', 'train-images-idx3-ubyte.gz'), { limit: 512 });
});
const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;

describe('data2vec (vision)', () => {
  it('is registered; the teacher starts equal to the student; 28 px images give a 7x7 grid of 4 px cells', () => {
    expect(methods.get('data2vec').defaults).toMatchObject({ maskRatio: 0.6, layerNorm: 'layer', topK: 1 });
    const m = new Data2VecVision([28, 28, 1], small, new Rng(0));
    expect(m.cell).toBe(4);
    const s = m.encoder.trainableVariables();
    for (const [k, v] of m.teacher.teacher)
      expect(Array.from(v.dataSync()), k).toEqual(Array.from(s.get(k)!.dataSync()));
    expect(() => new Data2VecVision([28, 28, 1], { ...small, topK: 2 }, new Rng(0))).toThrow(/topK|one target map/);
    m.dispose();
  });

  it('resumes exactly (the teacher is checkpoint state); tensor counts stay flat', async () => {
    const options = {
      steps: 8,
      batchSize: 32,
      optimizer: { name: 'adam' as const, lr: 2e-3 },
      schedule: { kind: 'constant' as const },
      quiet: true,
      diagnosticsEvery: 0,
      checkpointEvery: 2,
      seed: 0,
    };
    const full = new Data2VecVision([28, 28, 1], small, new Rng(0));
    const counts: number[] = [];
    const a = await new Trainer(full, options, [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }]).fit(
      data,
    );
    expect(counts.at(-1)).toBe(counts[2]);
    const ck = await mkdtemp(join(tmpdir(), 'd2v-vision-'));
    const first = new Data2VecVision([28, 28, 1], small, new Rng(0));
    const t1: Trainer = new Trainer(first, { ...options, checkpointDir: ck }, [
      { onStepEnd: (i) => (i.step === 4 ? t1.stop('test') : undefined) },
    ]);
    await t1.fit(data);
    first.dispose();
    const second = new Data2VecVision([28, 28, 1], small, new Rng(5));
    const b = await new Trainer(second, { ...options, checkpointDir: ck }).fit(data);
    expect(b.resumedFromStep).toBe(4);
    expect(b.lossHistory).toEqual(a.lossHistory);
    const wb = second.stateVariables();
    expect([...wb.keys()].some((k) => k.startsWith('teacher/'))).toBe(true);
    for (const [k, v] of full.stateVariables())
      expect(Array.from(wb.get(k)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    full.dispose();
    second.dispose();
    await rm(ck, { recursive: true, force: true });
  }, 120_000);

  it('on Fashion-MNIST the loss falls and the embeddings keep their spread', async () => {
    const m = new Data2VecVision([28, 28, 1], small, new Rng(0));
    const probe = data.inputs.slice(0, 256);
    const diag = () => {
      const e = m.embed(probe);
      const d = collapseDiagnostics(e);
      e.dispose();
      return d;
    };
    const before = diag();
    const r = await new Trainer(m, {
      steps: 40,
      batchSize: 32,
      optimizer: { name: 'adam', lr: 2e-3 },
      schedule: { kind: 'constant' },
      quiet: true,
      diagnosticsEvery: 0,
      seed: 0,
    }).fit(data);
    const after = diag();
    const h = r.lossHistory;
    console.log(
      `data2vec vision: loss ${mean(h.slice(0, 5)).toFixed(4)} -> ${mean(h.slice(-5)).toFixed(4)}, ` +
        `std ratio ${before.stdRatio.toFixed(3)} -> ${after.stdRatio.toFixed(3)}, ` +
        `effective rank ${before.effectiveRank.toFixed(2)} -> ${after.effectiveRank.toFixed(2)}`,
    );
    expect(mean(h.slice(-5))).toBeLessThan(0.8 * mean(h.slice(0, 5)));
    expect(after.stdRatio).toBeGreaterThan(0.5 * before.stdRatio);
    expect(after.effectiveRank).toBeGreaterThan(0.5 * before.effectiveRank);
    m.dispose();
  }, 180_000);
});
