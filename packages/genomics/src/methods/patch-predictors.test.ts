import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CPC } from './cpc.js';
import { PatchPredictors, patchCount, patchDistances } from './patch-predictors.js';
import { SelfGenomeNet } from './self-genomenet.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe('patchDistances', () => {
  it('lists first..last, both included', () => {
    expect(patchDistances(2, 6, 1)).toEqual([2, 3, 4, 5, 6]);
    expect(patchDistances(3, 3, 1)).toEqual([3]);
  });

  it('falls back to one distance when the range is empty', () => {
    expect(patchDistances(5, 4, 3)).toEqual([3]);
  });
});

describe('patchCount', () => {
  it('counts whole patches of a window', () => {
    expect(patchCount([256, 4], 16)).toBe(16);
    expect(patchCount([100, 4], 16)).toBe(6);
  });
});

describe('PatchPredictors', () => {
  it('names one map per distance, in order, and disposes them all', () => {
    const before = tf.memory().numTensors;
    const p = new PatchPredictors([2, 5], 'predictor/offset', 3, 4, new Rng(0));
    expect([...p.variables().keys()]).toEqual([
      'predictor/offset2/kernel',
      'predictor/offset2/bias',
      'predictor/offset5/kernel',
      'predictor/offset5/bias',
    ]);
    expect(p.maps.map((m) => [m.inDim, m.outDim])).toEqual([
      [3, 4],
      [3, 4],
    ]);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives CPC's offsets (max clipped to patches - 1) and Self-GenomeNet's gaps (maxGap one past the last)", () => {
    // 8 patches of 16 bases: offsets 2..min(6, 7), gaps 2..min(6, 7) - 1.
    const cpc = new CPC([128, 4], { width: 8, hidden: 8, minOffset: 2, maxOffset: 6 }, new Rng(0));
    const sgn = new SelfGenomeNet([128, 4], { width: 8, hidden: 8, minGap: 2, maxGap: 6 }, new Rng(0));
    expect(cpc.offsets).toEqual([2, 3, 4, 5, 6]);
    expect(sgn.gaps).toEqual([2, 3, 4, 5]);
    // 3 patches: offsets clip to 2..2, gaps to the empty 2..1, so the fallback max(0, 3 - 2) = 1.
    const cpc3 = new CPC([48, 4], { width: 8, hidden: 8, minOffset: 2, maxOffset: 6 }, new Rng(0));
    const sgn3 = new SelfGenomeNet([48, 4], { width: 8, hidden: 8, minGap: 2, maxGap: 6 }, new Rng(0));
    expect(cpc3.offsets).toEqual([2]);
    expect(sgn3.gaps).toEqual([1]);
    expect([...sgn.stateVariables().keys()].filter((k) => k.startsWith('predictor/'))).toEqual(
      [2, 3, 4, 5].flatMap((g) => [`predictor/gap${g}/kernel`, `predictor/gap${g}/bias`]),
    );
    for (const m of [cpc, sgn, cpc3, sgn3]) m.dispose();
  });
});
