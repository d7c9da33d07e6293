import { collapseDiagnostics, initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, lossEnds, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import type { WavDataset } from '../io/wav-dataset.js';
import { SPOKEN_DIGITS_MISSING, spokenDigitClips, spokenDigitsDir } from '../test-support/fixtures.js';
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
    data = await spokenDigitClips(dir!, 96, 10);
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
    await expectExactResume({
      build: () => new Data2VecAudio([8000], small, new Rng(0)),
      rebuild: () => new Data2VecAudio([8000], small, new Rng(7)),
      data,
      options: quietAdamRun(8, 16, 2e-3, { checkpointEvery: 2, seed: 0 }),
      stopAt: 4,
    });
  }, 120_000);

  it('loss falls over 40 steps, the embeddings keep their spread, tensor counts stay flat', async () => {
    const m = new Data2VecAudio([8000], small, new Rng(0));
    const probe = data.getBatch(Array.from({ length: 48 }, (_, i) => i));
    const before = spread(m, probe);
    const { losses, tensorCounts } = await recordedFit(m, data, quietAdamRun(40, 16, 2e-3, { seed: 0 }));
    const { first, last } = lossEnds(losses, 5);
    expect(last).toBeLessThan(0.8 * first);
    expectFlatTensorCount(tensorCounts, 5);
    const after = spread(m, probe);
    console.log(
      `data2vec audio: loss ${first.toFixed(4)} -> ${last.toFixed(4)}, ` +
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
