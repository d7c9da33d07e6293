import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../tools/test/backends.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { ParamMap } from './params.js';
import { disposeParams } from './params.js';
import { tokenEmbedding } from './token-embedding.js';
import { initTransformer, type TransformerConfig, transformer } from './transformer.js';
import { sinusoidalPositions } from './positional-embedding.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';

// Fixtures: tools/fixtures/nn/make-transformer-fixtures.py (PyTorch's own TransformerEncoderLayer).
const here = dirname(fileURLToPath(import.meta.url));
const fixturePath = join(here, '../../../../tools/fixtures/nn/transformer.json');

interface Case {
  config: TransformerConfig;
  causal: boolean;
  ids: number[][];
  keyMask: number[][];
  r: number[][][];
  params: Record<string, number[] | number[][]>;
  output: number[][][];
  grads: Record<string, number[] | number[][]>;
}

const fixtures = JSON.parse(readFileSync(fixturePath, 'utf8')) as Record<string, Case>;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function forward(c: Case, params: ParamMap): tf.Tensor3D {
  const ids = tf.tensor2d(c.ids, undefined, 'int32');
  const x = tokenEmbedding(params, 'tok', ids);
  const hasPad = c.keyMask.some((row) => row.some((v) => v === 0));
  return transformer(params, '', x, c.config, {
    causal: c.causal,
    paddingMask: hasPad ? tf.tensor2d(c.keyMask) : undefined,
  });
}

const backends = await testBackends();

describe.each(backends)('nn transformer vs PyTorch on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const name of ['encoder_gelu_learned_padded', 'decoder_relu_sinusoidal_causal']) {
    it(`${name}: forward and gradients match to 1e-4`, () => {
      const c = fixtures[name]!;
      const params: ParamMap = new Map();
      for (const [k, v] of Object.entries(c.params)) params.set(k, tf.variable(tf.tensor(v as number[])));
      const out = tf.tidy(() => forward(c, params));
      expect(maxAbsDiff(out.dataSync(), c.output.flat(2))).toBeLessThan(1e-4);
      out.dispose();

      const r = tf.tensor3d(c.r);
      const vars = [...params.values()];
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(c, params), r)) as tf.Scalar, vars);
      for (const [k, v] of params) {
        const g = grads[v.name];
        expect(g, k).toBeDefined();
        const ref = (c.grads[k] as number[]).flat();
        const scale = Math.max(1, ...ref.map(Math.abs));
        expect(maxAbsDiff(g!.dataSync(), ref) / scale, k).toBeLessThan(1e-4);
      }
      tf.dispose(Object.values(grads));
      r.dispose();
      disposeParams(params);
    });
  }

  it('sinusoidal table matches the closed form at a hand-checkable point', () => {
    const pe = sinusoidalPositions(3, 4);
    const v = pe.arraySync();
    expect(v[0]).toEqual([0, 1, 0, 1]);
    expect(v[2]![0]).toBeCloseTo(Math.sin(2), 6);
    expect(v[2]![3]).toBeCloseTo(Math.cos(2 / 100), 6);
    pe.dispose();
  });

  it('initialises named parameters and keeps the tensor count flat across steps', () => {
    const config: TransformerConfig = { layers: 2, dim: 16, heads: 4, contextLength: 8 };
    const params: ParamMap = new Map();
    initTransformer(params, 'enc/', config, new Rng(0));
    expect([...params.keys()]).toContain('enc/layer1/attn/wq/kernel');
    expect([...params.keys()]).toContain('enc/pos');
    const opt = tf.train.adam(1e-3);
    const x = tf.randomNormal([2, 8, 16]) as tf.Tensor3D;
    const step = () => {
      const cost = opt.minimize(
        () => tf.mean(tf.square(transformer(params, 'enc/', x, config, { causal: true }))) as tf.Scalar,
        true,
      );
      cost?.dispose();
    };
    expect(tensorsLeftBy(step, 3)).toBe(0);
    opt.dispose();
    x.dispose();
    disposeParams(params);
  });

  it('rejects heads that do not divide the width', () => {
    expect(() =>
      initTransformer(new Map(), '', { layers: 1, dim: 10, heads: 3, contextLength: 4 }, new Rng(0)),
    ).toThrow(ConfigError);
  });
});
