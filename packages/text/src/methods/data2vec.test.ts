import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, initBackend, Rng, TensorDataset, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kennedyWindows } from '../test-support/kennedy-windows.js';
import { Data2VecText } from './data2vec.js';
import { methods } from './registry.js';

const ids = { vocabSize: 64, padId: 0, maskId: 1, eosId: 2 };
const small = { ...ids, dim: 16, heads: 2, layers: 2 };

function randomIds(n: number, seq: number, seed: number): tf.Tensor2D {
  const r = new Rng(seed);
  return tf.tensor2d(
    Int32Array.from({ length: n * seq }, () => 3 + r.int(61)),
    [n, seq],
    'int32',
  );
}

describe('data2vec (text)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('is registered with its options', () => {
    const spec = methods.get('data2vec');
    expect(spec.defaults).toMatchObject({ topK: 10, layerNorm: 'layer', beta: 4, lossScale: 1 });
  });

  it('block outputs end in the same hidden states as hidden()', () => {
    const m = new Data2VecText([8], small, new Rng(1));
    const x = randomIds(3, 8, 2);
    const { blocks, output } = m.encoder.blockOutputs(x);
    const h = m.encoder.hidden(x);
    expect(blocks).toHaveLength(2);
    expect(Array.from(output.dataSync())).toEqual(Array.from(h.dataSync()));
    tf.dispose([x, h, output, ...blocks]);
    m.dispose();
  });

  it('resumes exactly (the teacher is checkpoint state) and tensor counts stay flat', async () => {
    const data = new TensorDataset(randomIds(64, 8, 3));
    const options = {
      steps: 12,
      batchSize: 16,
      optimizer: { name: 'adam' as const, lr: 3e-3 },
      schedule: { kind: 'constant' as const },
      quiet: true,
      diagnosticsEvery: 0,
      checkpointEvery: 3,
    };
    const full = new Data2VecText([8], small, new Rng(1));
    const counts: number[] = [];
    const a = await new Trainer(full, options, [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }]).fit(
      data,
    );
    expect(counts.at(-1)).toBe(counts[3]);
    const dir = await mkdtemp(join(tmpdir(), 'd2v-text-'));
    const first = new Data2VecText([8], small, new Rng(1));
    const t1: Trainer = new Trainer(first, { ...options, checkpointDir: dir }, [
      { onStepEnd: (i) => (i.step === 6 ? t1.stop('test') : undefined) },
    ]);
    await t1.fit(data);
    first.dispose();
    const second = new Data2VecText([8], small, new Rng(99));
    const b = await new Trainer(second, { ...options, checkpointDir: dir }).fit(data);
    expect(b.resumedFromStep).toBe(6);
    expect(b.lossHistory).toEqual(a.lossHistory);
    const wa = full.stateVariables();
    const wb = second.stateVariables();
    expect(wb.size).toBe(wa.size);
    for (const [k, v] of wa) expect(Array.from(wb.get(k)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    full.dispose();
    second.dispose();
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});

const dataDir = env.dataDir ?? join(import.meta.dirname, '../../../../data');
const sotu = join(dataDir, 'sotu');
describe.skipIf(!existsSync(sotu))('data2vec (text) on State of the Union text', () => {
  it('loss falls over 80 steps and the embeddings do not collapse', async () => {
    await initBackend();
    const inputs = await kennedyWindows(sotu);
    const m = new Data2VecText([32], { dim: 32, heads: 2, layers: 2 }, new Rng(1));
    const losses: number[] = [];
    await new Trainer(
      m,
      {
        steps: 80,
        batchSize: 16,
        optimizer: { name: 'adam', lr: 1e-3 },
        schedule: { kind: 'constant' },
        quiet: true,
        diagnosticsEvery: 0,
      },
      [{ onStepEnd: (s) => void losses.push(s.loss) }],
    ).fit(new TensorDataset(inputs));
    const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;
    expect(mean(losses.slice(-10))).toBeLessThan(0.7 * mean(losses.slice(0, 10)));
    const e = m.embed(inputs.slice(0, 128));
    const std = tf.tidy(
      () => tf.mean(tf.sqrt(tf.moments(tf.div(e, tf.norm(e, 2, 1, true)), 0).variance)).dataSync()[0]!,
    );
    // A collapsed encoder gives one point (std 0); 32-d unit vectors spread evenly have 1/sqrt(32) = 0.18.
    expect(std).toBeGreaterThan(0.02);
    console.log(
      `data2vec text: loss ${mean(losses.slice(0, 10)).toFixed(4)} -> ${mean(losses.slice(-10)).toFixed(4)}, normalised std ${std.toFixed(4)}`,
    );
    e.dispose();
    m.dispose();
  }, 180_000);
});
