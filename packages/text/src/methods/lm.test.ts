import { initBackend, Rng, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, lossEnds, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { kennedyWindows, SOTU_MISSING, sotuDir } from '../test-support/kennedy-windows.js';
import { bertMask } from './bert-masking.js';
import { CausalLm } from './clm.js';
import { MaskedLm } from './mlm.js';
import { PerplexityMeter } from './perplexity.js';

const sotu = sotuDir();
if (!sotu) console.warn(`skipping SOTU tests: ${SOTU_MISSING}`);

describe('BERT masking', () => {
  it('chooses 15% of eligible tokens and splits them 80/10/10', () => {
    const rng = new Rng(3);
    const n = 200_000;
    const ids = Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 3 + (i % 97)));
    const { input, targets } = bertMask(ids, rng, { maskId: 1, vocabSize: 100, specialIds: [0, 1, 2] });
    let chosen = 0;
    let masked = 0;
    let random = 0;
    let kept = 0;
    let violations = 0;
    for (let i = 0; i < n; i++) {
      if (ids[i] === 0) {
        if (targets[i] !== -1 || input[i] !== 0) violations++;
        continue;
      }
      if (targets[i]! < 0) {
        if (input[i] !== ids[i]) violations++;
        continue;
      }
      chosen++;
      if (targets[i] !== ids[i]) violations++;
      if (input[i] === 1) masked++;
      else if (input[i] === ids[i]) kept++;
      else {
        random++;
        if (input[i]! < 3) violations++;
      }
    }
    expect(violations).toBe(0);
    const eligible = n * 0.9;
    // Binomial standard errors: 15% of 180k -> +-0.0008; shares of 27k -> +-0.0025 / 0.0018.
    expect(Math.abs(chosen / eligible - 0.15)).toBeLessThan(0.004);
    expect(Math.abs(masked / chosen - 0.8)).toBeLessThan(0.012);
    // A random draw equals the original 1 time in 97, so "kept" absorbs about 0.1% of it.
    expect(Math.abs(random / chosen - 0.1 * (96 / 97))).toBeLessThan(0.01);
    expect(Math.abs(kept / chosen - (0.1 + 0.1 / 97))).toBeLessThan(0.01);
  });
});

describe('perplexity', () => {
  it('is exp of the mean NLL: uniform over V gives V; probabilities 1/2 and 1/8 give 4', () => {
    const m = new PerplexityMeter();
    m.add([Math.log(50), Math.log(50)]);
    expect(m.perplexity).toBeCloseTo(50, 10);
    const h = new PerplexityMeter();
    h.add([-Math.log(1 / 2)]);
    h.add([-Math.log(1 / 8)]);
    expect(h.perplexity).toBeCloseTo(4, 10);
  });

  it('an untrained CLM with zero output weights scores perplexity = vocabulary size', async () => {
    await initBackend();
    const lm = new CausalLm(
      [8],
      { vocabSize: 37, padId: 0, maskId: 1, eosId: 2, dim: 16, heads: 2, layers: 1 },
      new Rng(0),
    );
    // Zeroing the tied table makes every logit equal: p = 1/37 for every next token.
    lm.encoder.tokenTable.assign(tf.zeros(lm.encoder.tokenTable.shape));
    const batch = tf.tensor2d([[5, 6, 7, 8, 9, 10, 0, 0]], [1, 8], 'int32');
    const m = new PerplexityMeter();
    m.add(lm.evalNll(batch));
    expect(m.count).toBe(5);
    expect(m.perplexity).toBeCloseTo(37, 3);
    batch.dispose();
    lm.dispose();
  });
});

describe.skipIf(!sotu)('language models on State of the Union text', () => {
  let train: tf.Tensor;
  beforeAll(async () => {
    await initBackend();
    train = await kennedyWindows(sotu!);
  });

  for (const name of ['mlm', 'clm'] as const) {
    it(`${name}: loss falls within 60 steps and tensor counts stay flat`, async () => {
      const method =
        name === 'mlm'
          ? new MaskedLm([32], { dim: 32, heads: 2, layers: 1 }, new Rng(1))
          : new CausalLm([32], { dim: 32, heads: 2, layers: 1 }, new Rng(1));
      const { result, losses, tensorCounts } = await recordedFit(
        method,
        new TensorDataset(train),
        quietAdamRun(60, 16, 3e-3),
      );
      expect(result.steps).toBe(60);
      const { first, last } = lossEnds(losses, 5);
      // From ln(512) = 6.2 nats; 60 small steps reach about 5.3.
      expect(last).toBeLessThan(first - 0.5);
      expectFlatTensorCount(tensorCounts, 10);
      method.dispose();
    }, 120_000);
  }
});
