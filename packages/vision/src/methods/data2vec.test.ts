import { collapseDiagnostics, initBackend, Rng, type TensorDataset } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectExactResume } from '../../../core/src/test-support/exact-resume.js';
import { quietAdamRun } from '../../../core/src/test-support/quiet-adam-run.js';
import { expectFlatTensorCount, lossEnds, recordedFit } from '../../../core/src/test-support/recorded-fit.js';
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
    const { straight, resumedState } = await expectExactResume({
      build: () => new Data2VecVision([28, 28, 1], small, new Rng(0)),
      rebuild: () => new Data2VecVision([28, 28, 1], small, new Rng(5)),
      data,
      options: quietAdamRun(8, 32, 2e-3, { checkpointEvery: 2, seed: 0 }),
      stopAt: 4,
    });
    expectFlatTensorCount(straight.tensorCounts, 2);
    expect([...resumedState.keys()].some((k) => k.startsWith('teacher/'))).toBe(true);
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
    const { losses } = await recordedFit(m, data, quietAdamRun(40, 32, 2e-3, { seed: 0 }));
    const after = diag();
    const { first, last } = lossEnds(losses, 5);
    console.log(
      `data2vec vision: loss ${first.toFixed(4)} -> ${last.toFixed(4)}, ` +
        `std ratio ${before.stdRatio.toFixed(3)} -> ${after.stdRatio.toFixed(3)}, ` +
        `effective rank ${before.effectiveRank.toFixed(2)} -> ${after.effectiveRank.toFixed(2)}`,
    );
    expect(last).toBeLessThan(0.8 * first);
    expect(after.stdRatio).toBeGreaterThan(0.5 * before.stdRatio);
    expect(after.effectiveRank).toBeGreaterThan(0.5 * before.effectiveRank);
    m.dispose();
  }, 180_000);
});
