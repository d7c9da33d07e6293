import { initBackend, Rng, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, lossEnds, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
import { kennedyWindows, sotuDir } from '../test-support/kennedy-windows.js';
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
    const { straight } = await expectExactResume({
      build: () => new Data2VecText([8], small, new Rng(1)),
      rebuild: () => new Data2VecText([8], small, new Rng(99)),
      data: new TensorDataset(randomIds(64, 8, 3)),
      options: quietAdamRun(12, 16, 3e-3, { checkpointEvery: 3 }),
      stopAt: 6,
    });
    expectFlatTensorCount(straight.tensorCounts, 3);
  }, 120_000);
});

const sotu = sotuDir();
describe.skipIf(!sotu)('data2vec (text) on State of the Union text', () => {
  it('loss falls over 80 steps and the embeddings do not collapse', async () => {
    await initBackend();
    const inputs = await kennedyWindows(sotu!);
    const m = new Data2VecText([32], { dim: 32, heads: 2, layers: 2 }, new Rng(1));
    const { losses } = await recordedFit(m, new TensorDataset(inputs), quietAdamRun(80, 16, 1e-3));
    const { first, last } = lossEnds(losses, 10);
    expect(last).toBeLessThan(0.7 * first);
    const e = m.embed(inputs.slice(0, 128));
    const std = tf.tidy(
      () => tf.mean(tf.sqrt(tf.moments(tf.div(e, tf.norm(e, 2, 1, true)), 0).variance)).dataSync()[0]!,
    );
    // A collapsed encoder gives one point (std 0); 32-d unit vectors spread evenly have 1/sqrt(32) = 0.18.
    expect(std).toBeGreaterThan(0.02);
    console.log(`data2vec text: loss ${first.toFixed(4)} -> ${last.toFixed(4)}, normalised std ${std.toFixed(4)}`);
    e.dispose();
    m.dispose();
  }, 180_000);
});
