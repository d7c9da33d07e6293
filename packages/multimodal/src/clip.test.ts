import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Rng, Trainer, type TrainerOptions } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Clip } from './clip.js';
import { PairedDataset } from './data/paired-dataset.js';
import { BagOfTokensEncoder, bagOfTokensConfig, buildVocab } from './encoders/bag-of-tokens-encoder.js';

const texts = ['a red cat', 'a blue dog', 'the green bird', 'one red fish', 'a small cat', 'the blue fish'];
const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 4,
  optimizer: { name: 'adam', lr: 0.05 },
  quiet: true,
  diagnosticsEvery: 0,
};
const dir = mkdtempSync(join(tmpdir(), 'clip-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CLIP of two bag-of-tokens towers over the same texts (each text pairs with itself). */
function build(seed: number) {
  const rng = new Rng(seed);
  const vocab = buildVocab(texts);
  const ta = new BagOfTokensEncoder(bagOfTokensConfig(vocab, 8), rng, 'a/');
  const tb = new BagOfTokensEncoder(bagOfTokensConfig(vocab, 6), rng, 'b/');
  const clip = new Clip(ta, tb, rng, { projectionDim: 4 });
  return { clip, ta, tb, data: new PairedDataset(ta.bags(texts), tb.bags(texts)) };
}

function values(vars: Map<string, tf.Variable>): Map<string, number[]> {
  return new Map([...vars].map(([k, v]) => [k, Array.from(v.dataSync())]));
}

describe('Clip', () => {
  it('trains through the Trainer on paired batches, learns to pair, allocates no lasting tensors', async () => {
    const { clip, data } = build(1);
    const counts: number[] = [];
    const r = await new Trainer(clip, { ...OPTIONS, steps: 30 }, [
      { onStepEnd: () => void counts.push(tf.memory().numTensors) },
    ]).fit(data);
    expect(counts[counts.length - 1]).toBe(counts[1]); // Adam's slots appear in the first step
    expect(r.lossHistory[r.lossHistory.length - 1]).toBeLessThan(r.lossHistory[0]!);
    expect(clip.trainableVariables().has('logScale')).toBe(true);
    expect(clip.trainableVariables().has('a/a/embedding/table')).toBe(true);
    const batch = data.getBatch([0, 1, 2, 3]);
    const e = clip.embed(batch);
    expect(e.shape).toEqual([4, 4]);
    const norms = tf.tidy(() => tf.norm(e, 'euclidean', 1).dataSync());
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
    tf.dispose([e, batch.a, batch.b]);
    clip.dispose();
    data.dispose();
  });

  it('resumes bit-exactly: 3 steps, a checkpoint, 3 more equal 6 uninterrupted', async () => {
    const ref = build(3);
    const full = await new Trainer(ref.clip, { ...OPTIONS, steps: 6 }).fit(ref.data);
    const expected = values(ref.clip.stateVariables());
    ref.clip.dispose();
    ref.data.dispose();

    const ckdir = join(dir, 'clip');
    const first = build(3);
    await new Trainer(first.clip, { ...OPTIONS, steps: 3, checkpointDir: ckdir }).fit(first.data);
    first.clip.dispose();
    first.data.dispose();
    const second = build(3);
    const resumed = await new Trainer(second.clip, { ...OPTIONS, steps: 6, checkpointDir: ckdir }).fit(second.data);
    expect(resumed.resumedFromStep).toBe(3);
    expect(resumed.lossHistory).toEqual(full.lossHistory);
    expect(values(second.clip.stateVariables())).toEqual(expected);
    second.clip.dispose();
    second.data.dispose();
  });

  it('starts at scale 1/0.07 and rejects bad options', () => {
    const { clip, ta, tb, data } = build(2);
    expect(clip.scale()).toBeCloseTo(1 / 0.07, 3);
    expect(() => new Clip(ta, tb, new Rng(0), { projectionDim: 0 })).toThrow(ConfigError);
    expect(() => new Clip(ta, tb, new Rng(0), { maxScale: -1 })).toThrow(ConfigError);
    clip.dispose();
    data.dispose();
  });
});
