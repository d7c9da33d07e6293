import { ConfigError, initBackend, l2NormalizeRows, Rng, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, lossEnds, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { kennedyWindows, SOTU_MISSING, sotuDir } from '../test-support/kennedy-windows.js';
import { MaskedLm } from './mlm.js';
import { SimCse } from './simcse.js';
import { hiddenWithDropout } from './simcse-dropout-forward.js';

const sotu = sotuDir();
if (!sotu) console.warn(`skipping SimCSE tests: ${SOTU_MISSING}`);

const SMALL = { dim: 32, heads: 2, layers: 1 };
/** SimCSE as the paper: the positive is the same window under a second dropout mask. */
const PAPER = { ...SMALL, positives: 'dropout' as const };
const ctx = (rng: Rng) => ({ step: 0, totalSteps: 1, epoch: 0, rng });

/** Participation ratio (trace C)^2 / ||C||_F^2 of the covariance of rows: an effective rank. */
function effectiveRank(z: tf.Tensor2D): number {
  return tf.tidy(() => {
    const c = tf.sub(z, tf.mean(z, 0, true));
    const cov = tf.matMul(c, c, true, false);
    const tr = tf.sum(tf.mul(c, c)).dataSync()[0]!;
    const fro = tf.sum(tf.square(cov)).dataSync()[0]!;
    return (tr * tr) / fro;
  });
}

describe.skipIf(!sotu)('SimCSE on State of the Union text', () => {
  let train: tf.Tensor;
  beforeAll(async () => {
    await initBackend();
    train = await kennedyWindows(sotu!);
  });
  afterAll(() => train?.dispose());

  it('scores chance, ln(batch), when the texts are indistinguishable; less for distinct texts', () => {
    for (const pooling of ['mean', 'first'] as const) {
      const m = new SimCse([32], { ...PAPER, pooling }, new Rng(2));
      const loss = (batch: tf.Tensor) =>
        tf.tidy(() => {
          const out = m.computeLoss(batch, ctx(new Rng(3)));
          return out.loss.dataSync()[0]!;
        });
      // One window repeated: the positive is no closer than any other row, so the loss is ln(N).
      const same = tf.tile(tf.slice(train, [5, 0], [1, -1]), [32, 1]);
      const chance = loss(same);
      // 32 distinct windows: an untrained encoder already tells them apart better than the
      // dropout noise blurs them (measured: about 0.3 nats), so the loss is well below chance.
      const distinct = tf.slice(train, [0, 0], [32, -1]);
      const start = loss(distinct);
      console.info(
        `simcse ${pooling}: untrained loss ${chance.toFixed(3)} (same text), ${start.toFixed(3)} (distinct)`,
      );
      // The positive is exchangeable with the other copies, so E[p(positive)] = 1/N and, by
      // Jensen, the loss is at least about ln(N) (measured 3.78 mean / 4.23 first vs 3.47).
      expect(chance).toBeGreaterThan(Math.log(32) - 0.2);
      expect(chance).toBeLessThan(Math.log(32) + 1);
      // Without dropout every logit is equal: exactly ln(N).
      const exact = new SimCse([32], { ...PAPER, pooling, dropout: 0 }, new Rng(2));
      const out = exact.computeLoss(same, ctx(new Rng(3)));
      expect(out.loss.dataSync()[0]).toBeCloseTo(Math.log(32), 4);
      tf.dispose([out.loss, ...Object.values(out.metrics ?? {})]);
      exact.dispose();
      expect(start).toBeLessThan(Math.log(32) - 1);
      tf.dispose([same, distinct]);
      m.dispose();
    }
  });

  it('draws different dropout masks for the two passes, none when embedding', () => {
    const m = new SimCse([32], PAPER, new Rng(4));
    const x = tf.slice(train, [0, 0], [4, -1]);
    tf.tidy(() => {
      // The training view of [x; x]: the two copies of each row differ.
      const z = m.trainView(tf.concat([x, x], 0), 17);
      const [a, b] = tf.split(z, 2, 0);
      expect(tf.max(tf.abs(tf.sub(a!, b!))).dataSync()[0]).toBeGreaterThan(1e-3);
      // Eval mode: deterministic, and equal to the dropout-free pass.
      const e1 = m.embed(x);
      const e2 = m.embed(x);
      expect(Array.from(e1.dataSync())).toEqual(Array.from(e2.dataSync()));
      const h0 = hiddenWithDropout(m.encoder, x, 0, 17);
      expect(tf.max(tf.abs(tf.sub(h0, m.encoder.hidden(x)))).dataSync()[0]).toBeLessThan(1e-5);
      // The same seed reproduces the masks (what makes resuming exact).
      const again = m.trainView(tf.concat([x, x], 0), 17);
      expect(Array.from(again.dataSync())).toEqual(Array.from(z.dataSync()));
    });
    x.dispose();
    m.dispose();
  });

  it('starts from a trained MLM encoder and rejects a mismatched one', () => {
    const mlm = new MaskedLm([32], SMALL, new Rng(5));
    const m = new SimCse([32], PAPER, new Rng(6));
    m.initFrom(mlm.encoder);
    const x = tf.slice(train, [0, 0], [3, -1]);
    tf.tidy(() => {
      expect(Array.from(m.embed(x).dataSync())).toEqual(Array.from(mlm.embed(x).dataSync()));
    });
    const wide = new MaskedLm([32], { ...SMALL, dim: 64 }, new Rng(5));
    expect(() => m.initFrom(wide.encoder)).toThrow(ConfigError);
    tf.dispose([x]);
    for (const d of [mlm, m, wide]) d.dispose();
  });

  it('rejects bad options with a typed error naming the option', () => {
    expect(() => new SimCse([32], { ...PAPER, pooling: 'max' as 'mean' }, new Rng(0))).toThrow(/pooling/);
    expect(() => new SimCse([32], { ...PAPER, dropout: 1 }, new Rng(0))).toThrow(/^dropout: .*< 1, got 1/);
    expect(() => new SimCse([32], { ...PAPER, temperature: 0 }, new Rng(0))).toThrow(/^temperature: .*> 0, got 0/);
    expect(() => new SimCse([32], { ...PAPER, tau: 1 } as never, new Rng(0))).toThrow(/unknown option/);
  });

  it('lowers the loss within 60 steps without collapse, tensor counts flat', async () => {
    const m = new SimCse([32], PAPER, new Rng(1));
    const probe = tf.slice(train, [0, 0], [128, -1]);
    const before = m.embed(probe);
    const rank0 = effectiveRank(before);
    const { losses, tensorCounts } = await recordedFit(m, new TensorDataset(train), quietAdamRun(60, 32, 1e-3));
    const { first, last } = lossEnds(losses, 5);
    console.info(`simcse: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    expect(last).toBeLessThan(first / 2);
    expectFlatTensorCount(tensorCounts, 10);
    const after = m.embed(probe);
    const std = tf.tidy(() => tf.mean(tf.sqrt(tf.moments(after, 0).variance)).dataSync()[0]!);
    const rank1 = effectiveRank(after);
    console.info(`simcse: effective rank ${rank0.toFixed(2)} -> ${rank1.toFixed(2)}, mean std ${std.toFixed(3)}`);
    // Not collapsed: embeddings still spread over many directions (measured 14.8 -> 12.9 of 32;
    // a collapsed encoder has about 1).
    expect(std).toBeGreaterThan(0.05);
    expect(rank1).toBeGreaterThan(Math.max(4, rank0 / 2));
    tf.dispose([probe, before, after]);
    m.dispose();
  }, 120_000);

  it('resumes from a checkpoint exactly as an uninterrupted run', async () => {
    const ds = new TensorDataset(tf.slice(train, [0, 0], [256, -1]));
    try {
      // A run of 3 steps, extended to 6 from its last checkpoint.
      await expectExactResume({
        build: () => new SimCse([32], PAPER, new Rng(1)),
        data: ds,
        options: quietAdamRun(6, 16, 1e-3, { checkpointEvery: 3, checkpointEverySeconds: 0, seed: 9 }),
        stopAt: 3,
        interrupt: 'end',
      });
    } finally {
      ds.inputs.dispose();
    }
  }, 120_000);

  describe('with adjacent positives', () => {
    const ADJ = { ...SMALL, positives: 'adjacent' as const };
    const lossOf = (m: SimCse, batch: tf.Tensor, seed: number) =>
      tf.tidy(() => m.computeLoss(batch, ctx(new Rng(seed))).loss.dataSync()[0]!);

    it('pairs each first half with the second half of the same sample, not with itself', () => {
      // Samples of 32 tokens: an encoder of 16-token windows, the same weights as a dropout-mode
      // SimCSE over 16-token windows built from the same seed.
      const m = new SimCse([32], { ...ADJ, dropout: 0 }, new Rng(7));
      const d = new SimCse([16], { ...PAPER, dropout: 0 }, new Rng(7));
      expect(m.encoder.config.contextLength).toBe(16);
      const x = tf.slice(train, [0, 0], [16, -1]);
      const [a, b] = m.pairs(x);
      expect(a.shape).toEqual([16, 16]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(tf.slice(x, [0, 0], [-1, 16]).dataSync()));
      expect(Array.from(b.dataSync())).toEqual(Array.from(tf.slice(x, [0, 16], [-1, 16]).dataSync()));
      // The loss is InfoNCE of first halves against second halves (row i's positive is row i's
      // second half, the other rows' second halves the negatives) ...
      const expected = tf.tidy(() => {
        const q = l2NormalizeRows(d.trainView(a, 1));
        const p = l2NormalizeRows(d.trainView(b, 1));
        const logits = tf.div(tf.matMul(q, p, false, true), 0.05);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.range(0, 16, 1, 'int32'), 16), logits).dataSync()[0]!;
      });
      const adjacent = lossOf(m, x, 3);
      expect(adjacent).toBeCloseTo(expected, 4);
      // ... not of a half against itself: without dropout that pair is identical and the loss of
      // the dropout mode on the first halves is far lower.
      const self = lossOf(d, a, 3);
      console.info(`simcse adjacent: untrained loss ${adjacent.toFixed(3)} (halves), ${self.toFixed(3)} (same window)`);
      expect(adjacent).toBeGreaterThan(self + 0.5);
      // A sample made of one window twice is the dropout mode's pair: the same loss.
      const twice = tf.concat([a, a], 1);
      expect(lossOf(m, twice, 3)).toBeCloseTo(self, 5);
      tf.dispose([x, a, b, twice]);
      m.dispose();
      d.dispose();
    });

    it('embeds single windows; refuses odd or too-short samples and batches of the wrong length in one line', () => {
      const m = new SimCse([32], ADJ, new Rng(8));
      const w = tf.slice(train, [0, 0], [3, 16]);
      tf.tidy(() => {
        expect(m.embed(w).shape).toEqual([3, 32]);
        // A training sample of two windows (the trainer's diagnostics embed those): their mean.
        const x = tf.slice(train, [0, 0], [3, 32]);
        const halves = tf.div(
          tf.add(m.embed(tf.slice(x, [0, 0], [-1, 16])), m.embed(tf.slice(x, [0, 16], [-1, 16]))),
          2,
        );
        expect(tf.max(tf.abs(tf.sub(m.embed(x), halves))).dataSync()[0]).toBeLessThan(1e-6);
      });
      const oneLine = (f: () => unknown, re: RegExp) => {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).toMatch(re);
        expect((err as Error).message).not.toContain('\n');
      };
      for (const shape of [[31], [2], [32, 1]])
        oneLine(() => new SimCse(shape, ADJ, new Rng(0)), /positives=adjacent .*even sample length of at least 4/);
      // A batch of 16-token windows where samples of 32 are due.
      oneLine(
        () => m.computeLoss(w, ctx(new Rng(0))),
        /expects samples of 32 tokens \(two windows of 16\), got \[16\]/,
      );
      expect(() => new SimCse([32], { ...SMALL, positives: 'next' as 'adjacent' }, new Rng(0))).toThrow(/positives/);
      // Adjacent positives are the default.
      const byDefault = new SimCse([32], SMALL, new Rng(0));
      expect(byDefault.encoder.config.contextLength).toBe(16);
      byDefault.dispose();
      // The dropout mode keeps the sample as the window.
      const d = new SimCse([31], PAPER, new Rng(0));
      expect(d.encoder.config.contextLength).toBe(31);
      tf.dispose(w);
      m.dispose();
      d.dispose();
    });

    it('lowers the loss within 60 steps without collapse, tensor counts flat', async () => {
      const m = new SimCse([32], ADJ, new Rng(1));
      const { losses, tensorCounts } = await recordedFit(m, new TensorDataset(train), quietAdamRun(60, 32, 1e-3));
      const { first, last } = lossEnds(losses, 5);
      console.info(`simcse adjacent: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
      // A harder task than the dropout pair: it starts near chance, ln(32), and falls slowly
      // (measured 3.88 -> 3.46).
      expect(last).toBeLessThan(first - 0.2);
      expectFlatTensorCount(tensorCounts, 10);
      const probe = tf.slice(train, [0, 0], [128, 16]);
      const after = m.embed(probe);
      const rank = effectiveRank(after);
      console.info(`simcse adjacent: effective rank ${rank.toFixed(2)}`);
      expect(rank).toBeGreaterThan(4);
      tf.dispose([probe, after]);
      m.dispose();
    }, 120_000);
  });
});
