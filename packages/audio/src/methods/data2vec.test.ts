import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collapseDiagnostics, initBackend, Rng, Trainer } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WavDataset } from '../io/wav-dataset.js';
import { loadWavFolder } from '../io/wav-folder.js';
import { SPOKEN_DIGITS_MISSING, spokenDigitsDir } from '../test-support/fixtures.js';
import { Data2VecAudio } from './data2vec.js';

const dir = spokenDigitsDir();
if (!dir) console.warn(`skipping data2vec audio tests: ${SPOKEN_DIGITS_MISSING}`);
const small = { width: 32, contextDim: 32, cropSamples: 6400 };

/**
 * Core's collapse diagnostics of the context frames of `x`, `[clips * frames, dim]`: what data2vec
 * trains (the time-average is not: instance-normed targets carry no per-clip mean).
 */
function spread(m: Data2VecAudio, x: tf.Tensor) {
  const c = tf.tidy(() => {
    const frames = m.encoder.context(m.encoder.encode(x as tf.Tensor2D, false), false);
    return tf.reshape(frames, [-1, frames.shape[2]]) as tf.Tensor2D;
  });
  const d = collapseDiagnostics(c);
  c.dispose();
  return d;
}

describe.skipIf(!dir)('data2vec (audio) on spoken digits', () => {
  let data: WavDataset;
  beforeAll(async () => {
    await initBackend({ quiet: true });
    const all = await loadWavFolder(dir!, { requireLabels: true, clipSamples: 8000 });
    data = all.select(Array.from({ length: 96 }, (_, i) => i * 10));
    all.dispose();
  });
  afterAll(() => data.dispose());

  it('the teacher starts equal to the student; K is clamped to the 2 blocks; targets are instance-normed', () => {
    const m = new Data2VecAudio([8000], small, new Rng(0));
    const s = m.encoder.allVariables();
    for (const [k, v] of m.teacher.stateVariables()) {
      expect(Array.from(v.dataSync()), k).toEqual(Array.from(s.get(k.slice('teacher/'.length))!.dataSync()));
    }
    const batch = data.getBatch([0, 1, 2]);
    tf.tidy(() => {
      const { blocks } = m.encoder.contextBlocks(m.encoder.encode(batch as tf.Tensor2D, false));
      expect(blocks).toHaveLength(2);
      const y = m.teacher.targets(blocks);
      // Average of two instance-normed blocks: zero mean over time per channel, variance in (0, 1].
      const { mean, variance } = tf.moments(y, 1);
      expect(tf.max(tf.abs(mean)).dataSync()[0]).toBeLessThan(1e-4);
      expect(tf.max(variance).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-3);
      expect(tf.mean(variance).dataSync()[0]).toBeGreaterThan(0.2);
    });
    batch.dispose();
    m.dispose();
  });

  it('resumes exactly: the teacher is checkpoint state', async () => {
    const options = {
      steps: 8,
      batchSize: 16,
      optimizer: { name: 'adam' as const, lr: 2e-3 },
      schedule: { kind: 'constant' as const },
      quiet: true,
      diagnosticsEvery: 0,
      checkpointEvery: 2,
      seed: 0,
    };
    const full = new Data2VecAudio([8000], small, new Rng(0));
    const a = await new Trainer(full, options).fit(data);
    const ck = await mkdtemp(join(tmpdir(), 'd2v-audio-'));
    const first = new Data2VecAudio([8000], small, new Rng(0));
    const t1: Trainer = new Trainer(first, { ...options, checkpointDir: ck }, [
      { onStepEnd: (i) => (i.step === 4 ? t1.stop('test') : undefined) },
    ]);
    await t1.fit(data);
    first.dispose();
    const second = new Data2VecAudio([8000], small, new Rng(7));
    const b = await new Trainer(second, { ...options, checkpointDir: ck }).fit(data);
    expect(b.resumedFromStep).toBe(4);
    expect(b.lossHistory).toEqual(a.lossHistory);
    const wb = second.stateVariables();
    for (const [k, v] of full.stateVariables()) {
      expect(Array.from(wb.get(k)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    }
    full.dispose();
    second.dispose();
    await rm(ck, { recursive: true, force: true });
  }, 120_000);

  it('loss falls over 40 steps, the embeddings keep their spread, tensor counts stay flat', async () => {
    const m = new Data2VecAudio([8000], small, new Rng(0));
    const probe = data.getBatch(Array.from({ length: 48 }, (_, i) => i));
    const before = spread(m, probe);
    const counts: number[] = [];
    const r = await new Trainer(
      m,
      {
        steps: 40,
        batchSize: 16,
        optimizer: { name: 'adam', lr: 2e-3 },
        schedule: { kind: 'constant' },
        quiet: true,
        diagnosticsEvery: 0,
        seed: 0,
      },
      [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }],
    ).fit(data);
    const h = r.lossHistory;
    const mean = (v: number[]) => v.reduce((x, y) => x + y) / v.length;
    expect(mean(h.slice(-5))).toBeLessThan(0.8 * mean(h.slice(0, 5)));
    expect(counts.at(-1)).toBe(counts[5]);
    const after = spread(m, probe);
    console.log(
      `data2vec audio: loss ${mean(h.slice(0, 5)).toFixed(4)} -> ${mean(h.slice(-5)).toFixed(4)}, ` +
        `std ratio ${before.stdRatio.toFixed(3)} -> ${after.stdRatio.toFixed(3)}, ` +
        `effective rank ${before.effectiveRank.toFixed(2)} -> ${after.effectiveRank.toFixed(2)}`,
    );
    // Collapse would drive both to their floor (0 and 1); training keeps them at least at half.
    expect(after.stdRatio).toBeGreaterThan(0.5 * before.stdRatio);
    expect(after.effectiveRank).toBeGreaterThan(0.5 * before.effectiveRank);
    probe.dispose();
    m.dispose();
  }, 180_000);
});
