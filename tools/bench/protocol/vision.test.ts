import { type EncoderConfig, Rng, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProbeScores } from './probes.js';
import type { ScoreRow } from './table.js';
import { buildVisionMethod, encoderKind, holdsLabels, labelsOnly, RandomInitBaselines } from './vision.js';

const n = 48;
const rng = new Rng(7);
const train = new TensorDataset(
  tf.tensor4d(
    Array.from({ length: n * 28 * 28 }, () => rng.next()),
    [n, 28, 28, 1],
  ),
  Int32Array.from({ length: n }, (_, i) => i % 10),
);
const sets = { train, semiSupervised: 12, reference: 30 };
afterAll(() => train.dispose());

/** Mean and width of an encoder's embeddings of the first 4 training images. */
async function embedStats(encoder: { apply(x: tf.Tensor, training: boolean): tf.Tensor }) {
  const x = train.inputs.slice(0, 4);
  const z = encoder.apply(x, false);
  const mean = (await z.mean().data())[0]!;
  const dim = z.shape[1]!;
  tf.dispose([x, z]);
  return { mean, dim };
}

describe('vision protocol: methods with their labelled set', () => {
  it('S4L gets the semi-supervised labels, SupCon the reference labels, SimCLR none', () => {
    const built = ['s4l', 'supcon', 'simclr'].map((name) => ({
      name,
      ...buildVisionMethod(name, { width: 4 }, 0, sets),
    }));
    const [s4l, supcon, simclr] = built;
    expect(s4l!.labels).toBe(12);
    expect(supcon!.labels).toBe(30);
    expect(simclr!.labels).toBeUndefined();
    const size = (m: object) => (holdsLabels(m) ? m.labeledSize : -1);
    expect(size(s4l!.method)).toBe(12);
    expect(size(supcon!.method)).toBe(30);
    expect(size(simclr!.method)).toBe(-1);
    for (const b of built) b.method.dispose();
  });
  it("S4L's reference on its labels alone is S4L without rotation; other methods have none", () => {
    expect(labelsOnly('simclr')).toBeUndefined();
    expect(labelsOnly('supcon')).toBeUndefined();
    const only = labelsOnly('s4l')!;
    expect(only.without).toBe('rotation');
    const { method, labels } = buildVisionMethod('s4l', { width: 4, ...only.options }, 0, sets);
    expect(labels).toBe(12);
    expect(method.options.rotationWeight).toBe(0);
    method.dispose();
  });
});

describe('vision protocol: random-init baselines by encoder config', () => {
  it('a patch-grid method gets a patch-grid baseline; equal configs share one; seeds probed once', async () => {
    const configOf = (name: string) => {
      const { method } = buildVisionMethod(name, { width: 4 }, 0, sets);
      const c = method.encoder.config;
      method.dispose();
      return c;
    };
    const simclr = configOf('simclr');
    const byol = configOf('byol');
    const context = configOf('context');
    expect(encoderKind(simclr)).toBe('conv-small');
    expect(encoderKind(context)).toBe('conv-small, 4x4 grid of 7 px tiles');

    const probed: { kind: string; variant: string; seed: number; dim: number }[] = [];
    const row = (name: string): ScoreRow => ({ name, scores: [] });
    const baselines = new RandomInitBaselines(
      train,
      (kind) => ({ asIs: row(`as built ${kind}`), reestimated: row(`re-estimated ${kind}`) }),
      async (encoder, { variant, seed, rows }): Promise<ProbeScores> => {
        const { mean, dim } = await embedStats(encoder);
        probed.push({ kind: (encoder.config as EncoderConfig).kind, variant, seed, dim });
        expect(rows.config).toBe(encoder.config.kind === 'patch-grid' ? context : simclr);
        return { linear: mean, knn20: dim, knn200: seed };
      },
    );
    const a = await baselines.of(simclr, [0, 1]);
    expect(a.added).toBe(true);
    const again = await baselines.of(byol, [1]);
    expect(again.added).toBe(false);
    expect(again.rows).toBe(a.rows);
    const grid = await baselines.of(context, [0]);
    expect(grid.added).toBe(true);
    expect(grid.rows.kind).toBe('conv-small, 4x4 grid of 7 px tiles');
    expect(baselines.all().map((r) => r.kind)).toEqual(['conv-small', 'conv-small, 4x4 grid of 7 px tiles']);
    expect(baselines.get(context)).toBe(grid.rows);

    // conv-small has batch norm: every seed is probed as built and re-estimated, once.
    expect(probed.map((p) => `${p.kind} ${p.variant} ${p.seed} ${p.dim}`)).toEqual([
      'conv-small as built 0 16',
      'conv-small batch norm re-estimated 0 16',
      'conv-small as built 1 16',
      'conv-small batch norm re-estimated 1 16',
      'patch-grid as built 0 256',
      'patch-grid batch norm re-estimated 0 256',
    ]);
    expect(a.rows.asIs.scores.map((s) => s.knn200)).toEqual([0, 1]);
    expect(grid.rows.reestimated.scores.map((s) => s.knn20)).toEqual([256]);
    // Re-estimating the statistics changes the embedding; the seed fixes the weights.
    const [built0, reest0] = [a.rows.asIs.scores[0]!.linear, a.rows.reestimated.scores[0]!.linear];
    expect(reest0).not.toBe(built0);
    const b = new RandomInitBaselines(
      train,
      (kind) => ({ asIs: row(kind), reestimated: row(kind) }),
      async (encoder) => ({ linear: (await embedStats(encoder)).mean, knn20: 0, knn200: 0 }),
    );
    const same = await b.of(simclr, [0]);
    expect(same.rows.asIs.scores[0]!.linear).toBe(built0);
  });
});
