import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index.js';
import { type Dataset, TensorDataset } from '../data/dataset.js';
import { env } from '../env.js';
import { ConfigError, NumericalError } from '../errors.js';
import { NetEncoder } from '../methods/net-encoder.js';
import { NetBuilder } from '../nn/net.js';
import { dense } from '../nn/net-layers.js';
import { embedDataset } from './embed-dataset.js';
import { fineTune, labelFractionIndices } from './fine-tune.js';
import { linearProbe } from './linear-probe.js';

// The fast backend (native OpenBLAS when available), as every core test that trains.
beforeAll(async () => {
  await initBackend({ quiet: true });
});

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
type Weights = Record<string, number[] | number[][]>;
// From tools/fixtures/fine-tune/make_fixture.py (torch.optim.Adam param groups, LambdaLR, clip_grad_norm_).
const fixture = JSON.parse(readFileSync(join(repo, 'tools/fixtures/fine-tune/fine-tune.json'), 'utf8')) as {
  steps: number;
  warmupSteps: number;
  lr: number;
  headLr: number;
  weightDecay: number;
  clipGradNorm: number;
  x: number[][];
  y: number[];
  initial: Weights;
  losses: number[];
  gradNorms: number[];
  final: Weights;
};

/** A dense ReLU MLP encoder `inputDim -> widths...` (no ReLU after the last layer unless `reluOut`). */
function mlpEncoder(inputDim: number, widths: number[], seed: number, reluOut = false): NetEncoder {
  const net = new NetBuilder('mlp', 'encoder/', [inputDim]);
  let x = net.input();
  widths.forEach((units, i) => {
    const layer = dense({
      units,
      activation: i < widths.length - 1 || reluOut ? 'relu' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
    });
    x = net.apply(`dense${i + 1}`, layer, x);
  });
  return new NetEncoder(
    { kind: 'test-mlp', modality: 'test', outputDim: widths[widths.length - 1]!, inputShape: [inputDim] },
    net.build(x),
  );
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const flat = (v: number[] | number[][]) => (v as number[][]).flat() as number[];
const snapshot = (enc: NetEncoder) =>
  new Map([...enc.allVariables()].map(([k, v]) => [k, Array.from(v.dataSync())] as const));

describe('fineTune vs torch (tiny MLP encoder + MLP head, 3 Adam steps)', () => {
  it('matches loss and updated weights of torch to 1e-5 (param-group lrs, L2 decay on matrices, warm-up + cosine, clipping)', async () => {
    const enc = mlpEncoder(6, [5, 4], 1);
    for (const [k, v] of enc.allVariables()) v.assign(tf.tensor(fixture.initial[k]!));
    const headWeights = Object.fromEntries(
      Object.entries(fixture.initial)
        .filter(([k]) => k.startsWith('head/'))
        .map(([k, v]) => [k, tf.tensor(v)]),
    );
    const ds = new TensorDataset(tf.tensor2d(fixture.x), Int32Array.from(fixture.y));
    const r = await fineTune({
      encoder: enc,
      train: ds,
      test: ds,
      headHidden: [5],
      headWeights,
      steps: fixture.steps,
      warmupSteps: fixture.warmupSteps,
      batchSize: 8,
      lr: fixture.lr,
      headLr: fixture.headLr,
      weightDecay: fixture.weightDecay,
      clipGradNorm: fixture.clipGradNorm,
      standardize: false,
      progress: { quiet: true },
    });
    // The fixture's clip threshold is below every step's norm, so clipping is exercised.
    for (const g of fixture.gradNorms) expect(g).toBeGreaterThan(fixture.clipGradNorm);
    expect(maxAbsDiff(r.lossHistory, fixture.losses)).toBeLessThan(1e-5);
    for (const [k, v] of enc.allVariables()) {
      expect(maxAbsDiff(v.dataSync(), flat(fixture.final[k]!)), k).toBeLessThan(1e-5);
    }
    for (const [k, v] of Object.entries(r.headWeights)) {
      expect(maxAbsDiff(v.values, flat(fixture.final[k]!)), k).toBeLessThan(1e-5);
    }
    expect(Object.keys(r.headWeights).sort()).toEqual(
      Object.keys(fixture.final)
        .filter((k) => k.startsWith('head/'))
        .sort(),
    );
    tf.dispose(Object.values(headWeights));
    ds.dispose();
    enc.dispose();
  });
});

// The sklearn digits set, fetched by tools/fetch-data.mjs; split as the probe tests (tools/fixtures/optim/probes.json).
const digitsPath = join(env.dataDir ?? join(repo, 'data'), 'digits', 'digits.csv.gz');
const haveDigits = existsSync(digitsPath);
if (!haveDigits)
  console.warn(`skipping fineTune tests on digits: ${digitsPath} is missing (run node tools/fetch-data.mjs)`);

describe.skipIf(!haveDigits)('fineTune on the digits set (1,297 / 500 split)', () => {
  const split = JSON.parse(readFileSync(join(repo, 'tools/fixtures/optim/probes.json'), 'utf8')) as {
    trainIndices: number[];
    testIndices: number[];
  };
  const rows = haveDigits
    ? gunzipSync(readFileSync(digitsPath))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.split(',').map(Number))
    : [];
  const take = (idx: number[]) =>
    new TensorDataset(
      tf.tensor2d(idx.map((i) => rows[i]!.slice(0, 64).map((v) => v / 16))),
      Int32Array.from(idx, (i) => rows[i]![64]!),
      undefined,
      'digits',
    );
  const train = haveDigits ? take(split.trainIndices) : undefined!;
  const test = haveDigits ? take(split.testIndices) : undefined!;
  afterAll(() => {
    train?.dispose();
    test?.dispose();
  });

  it('fine-tuning a random-init encoder beats the frozen linear probe of the same encoder; restore puts it back', async () => {
    const enc = mlpEncoder(64, [8], 3, true);
    const before = snapshot(enc);
    const embed = (b: tf.Tensor) => enc.apply(b, false);
    const trainX = embedDataset(embed, train);
    const testX = embedDataset(embed, test);
    const probe = await linearProbe({ trainX, trainY: train.labels!, testX, testY: test.labels! });
    tf.dispose([trainX, testX]);
    const tensors = tf.memory().numTensors;
    const ft = await fineTune({
      encoder: enc,
      train,
      test,
      epochs: 15,
      batchSize: 64,
      lr: 3e-3,
      restore: true,
      progress: { quiet: true },
    });
    expect(tf.memory().numTensors).toBe(tensors);
    console.log(
      `digits, random 64->8 ReLU encoder: frozen linear probe ${probe.accuracy.toFixed(3)}, ` +
        `fine-tuned ${ft.accuracy.toFixed(3)} (train ${ft.trainAccuracy.toFixed(3)}, loss ${ft.lossHistory[0]!.toFixed(3)} -> ${ft.lossHistory[ft.lossHistory.length - 1]!.toFixed(3)}, ${ft.seconds.toFixed(1)} s)`,
    );
    expect(ft.accuracy).toBeGreaterThan(probe.accuracy + 0.03);
    expect(ft.nTrain).toBe(1297);
    expect(ft.nTest).toBe(500);
    expect(ft.predictions.length).toBe(500);
    expect(ft.testLogits.length).toBe(500 * 10);
    expect(ft.lossHistory.length).toBe(ft.steps);
    expect(ft.steps).toBe(15 * Math.floor(1297 / 64));
    // restore: true puts every variable back bit for bit.
    for (const [k, v] of snapshot(enc)) expect(v, k).toEqual(before.get(k));
    enc.dispose();
  });

  it("freeze: 'encoder' trains the head only and leaves the encoder bit-identical; labelFraction is class-balanced", async () => {
    const enc = mlpEncoder(64, [16], 5, true);
    const before = snapshot(enc);
    const frac = await fineTune({
      encoder: enc,
      train,
      test,
      freeze: 'encoder',
      labelFraction: 0.1,
      steps: 150,
      batchSize: 32,
      headLr: 0.05,
      seed: 3,
      progress: { quiet: true },
    });
    for (const [k, v] of snapshot(enc)) expect(v, k).toEqual(before.get(k));
    const counts = new Array<number>(10).fill(0);
    for (const i of frac.trainIndices) counts[train.labels![i]!]!++;
    const full = new Array<number>(10).fill(0);
    for (const y of train.labels!) full[y]!++;
    expect(counts).toEqual(full.map((c) => Math.max(1, Math.round(0.1 * c))));
    expect(frac.nTrain).toBe(frac.trainIndices.length);
    expect(frac.accuracy).toBeGreaterThan(0.5); // far above chance (0.1) from 130 labels
    // The head's input statistics are those of the frozen embeddings of the subset (population std).
    const z = tf.tidy(() => enc.apply(tf.gather(train.inputs, frac.trainIndices), false));
    const zs = z.arraySync() as number[][];
    z.dispose();
    const mean = zs[0]!.map((_, d) => zs.reduce((acc, row) => acc + row[d]!, 0) / zs.length);
    const std = mean.map((m, d) => Math.sqrt(zs.reduce((acc, row) => acc + (row[d]! - m) ** 2, 0) / zs.length));
    expect(maxAbsDiff(frac.headWeights['head/input/mean']!.values, mean)).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        frac.headWeights['head/input/scale']!.values,
        std.map((x) => (x > 1e-6 ? x : 1)),
      ),
    ).toBeLessThan(1e-4);
    // Same seed, same subset; another seed, another one.
    expect(labelFractionIndices(train.labels!, 0.1, 3)).toEqual(frac.trainIndices);
    expect(labelFractionIndices(train.labels!, 0.1, 4)).not.toEqual(frac.trainIndices);
    enc.dispose();
  });

  it('checkpoints: a run that crashes after step 7 resumes from step 4 and ends as an uninterrupted one', async () => {
    const ckdir = await mkdtemp(join(tmpdir(), 'autodidact-finetune-ck-'));
    try {
      const common = {
        train,
        test,
        steps: 12,
        batchSize: 32,
        lr: 3e-3,
        headHidden: [8],
        evalTrain: false,
        checkpointEvery: 4,
        checkpointEverySeconds: 0,
      };
      const full = mlpEncoder(64, [8], 11, true);
      const ref = await fineTune({ ...common, encoder: full, progress: { quiet: true } });
      // The crash: the progress stream throws on step 7's line (after that step, before step 8's checkpoint).
      const crashing = {
        write: (line: string) => {
          if (line.includes('"step":7,')) throw new Error('killed');
          return true;
        },
      };
      const first = mlpEncoder(64, [8], 11, true);
      await expect(
        fineTune({
          ...common,
          encoder: first,
          checkpointDir: ckdir,
          progress: { quiet: false, logEvery: 1, format: 'json', stream: crashing },
        }),
      ).rejects.toThrow('killed');
      expect((await readdir(ckdir)).filter((e) => e.startsWith('step-')).sort()).toEqual(['step-000004']);
      // A fresh process would rebuild the encoder from the pretrained weights: a new one, same seed.
      const second = mlpEncoder(64, [8], 11, true);
      const count = tf.memory().numTensors;
      const resumed = await fineTune({ ...common, encoder: second, checkpointDir: ckdir, progress: { quiet: true } });
      expect(tf.memory().numTensors).toBe(count);
      expect(resumed.resumedFromStep).toBe(4);
      expect(resumed.lossHistory).toEqual(ref.lossHistory);
      expect(resumed.headWeights).toEqual(ref.headWeights);
      for (const [k, v] of snapshot(second)) expect(v, k).toEqual(snapshot(full).get(k));
      expect(resumed.accuracy).toBe(ref.accuracy);
      // Resuming with another learning rate, or fewer steps than done, is refused with both values.
      await expect(
        fineTune({ ...common, lr: 1e-3, encoder: mlpEncoder(64, [8], 11, true), checkpointDir: ckdir }),
      ).rejects.toThrow(
        /settings differ from the checkpoint's: lr 0\.001 \(checkpoint: 0\.003\), headLr 0\.01 \(checkpoint: 0\.03\); resume with lr: 0\.003, headLr: 0\.03, or pass resume: false to start over$/,
      );
      await expect(
        fineTune({ ...common, steps: 8, encoder: mlpEncoder(64, [8], 11, true), checkpointDir: ckdir }),
      ).rejects.toThrow(/checkpoint is at step 12, past the 8 steps this run asks for; resume with steps: 12 or more/);
      for (const e of [full, first, second]) e.dispose();
    } finally {
      await rm(ckdir, { recursive: true, force: true });
    }
  });

  it('keeps the tensor count flat across steps (progress callback samples it every step)', async () => {
    const enc = mlpEncoder(64, [8], 7, true);
    const counts: number[] = [];
    const stream = { write: () => counts.push(tf.memory().numTensors) };
    const start = tf.memory().numTensors;
    await fineTune({
      encoder: enc,
      train,
      test,
      steps: 12,
      batchSize: 16,
      headHidden: [8],
      progress: { quiet: false, logEvery: 1, format: 'json', stream },
      evalTrain: false,
    });
    // One start line, 12 step lines, one end line; the step lines all see the same count.
    expect(counts.length).toBe(14);
    const steps = counts.slice(1, 13);
    expect(new Set(steps).size).toBe(1);
    expect(tf.memory().numTensors).toBe(start);
    enc.dispose();
  });
});

describe('fineTune input checks', () => {
  const x = () => tf.randomNormal([6, 3]) as tf.Tensor2D;
  const labels = Int32Array.from([0, 1, 0, 1, 0, 1]);
  const enc = mlpEncoder(3, [4], 9);
  afterAll(() => {
    enc.dispose();
  });
  const expectConfigError = async (f: () => Promise<unknown>, field: string) => {
    let err: unknown;
    try {
      await f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
    expect((err as Error).message).toContain(field);
  };

  it('names the field of label-less, empty or mismatched input and leaks nothing', async () => {
    const good = new TensorDataset(x(), labels);
    const unlabelled = new TensorDataset(x());
    const empty = new TensorDataset(tf.zeros([0, 3]), new Int32Array(0));
    const wide = new TensorDataset(x(), Int32Array.from([0, 1, 2, 3, 4, 5]));
    const before = tf.memory().numTensors;
    const base = { encoder: enc, progress: { quiet: true } };
    await expectConfigError(() => fineTune({ ...base, train: unlabelled, test: good }), 'train.labels');
    await expectConfigError(() => fineTune({ ...base, train: good, test: unlabelled }), 'test.labels');
    await expectConfigError(() => fineTune({ ...base, train: empty, test: good }), 'train');
    await expectConfigError(() => fineTune({ ...base, train: good, test: good, numClasses: 1 }), 'numClasses');
    await expectConfigError(() => fineTune({ ...base, train: wide, test: good, numClasses: 3 }), 'numClasses');
    await expectConfigError(() => fineTune({ ...base, train: good, test: good, labelFraction: 0 }), 'labelFraction');
    await expectConfigError(() => fineTune({ ...base, train: good, test: good, lr: -1 }), 'lr');
    await expectConfigError(() => fineTune({ ...base, train: good, test: good, steps: 0 }), 'steps');
    const badHead = { 'head/dense1/kernel': tf.zeros([5, 2]) };
    await expectConfigError(() => fineTune({ ...base, train: good, test: good, headWeights: badHead }), 'headWeights');
    tf.dispose(Object.values(badHead));
    expect(tf.memory().numTensors).toBe(before);
    for (const d of [good, unlabelled, empty, wide]) d.dispose();
  });

  it('refuses a non-finite loss with a NumericalError before applying the step', async () => {
    const nan = new TensorDataset(tf.fill([6, 3], Number.NaN) as tf.Tensor2D, labels);
    const before = snapshot(enc);
    const count = tf.memory().numTensors;
    let err: unknown;
    try {
      await fineTune({ encoder: enc, train: nan, test: nan, steps: 3, progress: { quiet: true } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as NumericalError).step).toBe(1);
    expect((err as NumericalError).tensorName).toBe('loss');
    for (const [k, v] of snapshot(enc)) expect(v, k).toEqual(before.get(k));
    expect(tf.memory().numTensors).toBe(count);
    nan.dispose();
  });

  it('works on any Dataset<B> (batches as objects)', async () => {
    const inputs = x();
    const ds: Dataset<{ x: tf.Tensor }> = {
      size: 6,
      labels,
      getBatch: (idx) => ({ x: tf.tidy(() => tf.gather(inputs, tf.tensor1d(idx as number[], 'int32'))) }),
    };
    const wrapped = {
      config: enc.config,
      apply: (b: { x: tf.Tensor }, training: boolean) => enc.apply(b.x, training),
      trainableVariables: () => enc.trainableVariables(),
      allVariables: () => enc.allVariables(),
      dispose: () => {},
    };
    const count = tf.memory().numTensors;
    const r = await fineTune({
      encoder: wrapped,
      train: ds,
      test: ds,
      steps: 2,
      batchSize: 3,
      progress: { quiet: true },
    });
    expect(r.predictions.length).toBe(6);
    expect(tf.memory().numTensors).toBe(count);
    inputs.dispose();
  });
});
