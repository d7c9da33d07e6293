/**
 * Becker & Hinton (1992), "Self-organizing neural network that discovers surfaces in
 * random-dot stereograms", Nature 355:161-163. Two modules (small MLPs with separate weights)
 * see neighbouring patches of a random-dot stereogram; each outputs one number. Training
 * maximises the IMAX information between the two outputs over a batch. The only thing the
 * patches share is the depth of the (smooth) surface, so the outputs come to encode the
 * disparity, which no label told them.
 *
 * The paper trained with conjugate gradient and a layered set of modules; here: one hidden
 * layer per module (squared linear units by default, see {@link BeckerHintonOptions.activation}),
 * a {@link Method} over patch pairs that core's Trainer runs with Adam on a large seeded set of
 * stereograms (checkpoints, exact resume, the non-finite guard and progress come with it).
 */
import {
  ConfigError,
  ParamOwner,
  createParam,
  type Encoder,
  type ExperimentRunOptions,
  type LossOutput,
  type Method,
  type ParamMap,
  Rng,
  runExperiment,
  type TrainResult,
  type TrainerCallback,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { imax } from '../objectives/imax.js';
import { type RunFacts, runFacts } from '../run-facts.js';
import { randomDotStereograms, type StereogramOptions, type Stereograms } from '../stereograms/random-dot.js';
import { type PatchPair, StereogramDataset } from '../stereograms/stereogram-dataset.js';

/** Options of {@link BeckerHinton}. */
export interface BeckerHintonOptions {
  /** Hidden units per module; default 16. */
  hidden?: number;
  /**
   * Hidden nonlinearity; default `'square'`. Disparity is a correlation between the two eyes, a
   * product of inputs: squared linear units (binocular "energy" units) express it in one layer,
   * so the modules learn within a default-test budget; `'tanh'` is the paper's sigmoid-like
   * unit and needs far longer training.
   */
  activation?: 'square' | 'tanh';
  /** Seed of the weight initialisation; default 0. */
  seed?: number;
  /** IMAX variance floor; default 1e-6. */
  eps?: number;
}

interface Module {
  w1: tf.Variable; // [input, hidden]
  b1: tf.Variable; // [hidden]
  w2: tf.Variable; // [hidden, 1]
  b2: tf.Variable; // [1]
}

/** A `[rows, cols]` weight under `name`, LeCun normal: unit-variance pre-activations for +-1 inputs. */
function seededMatrix(params: ParamMap, name: string, rows: number, cols: number, rng: Rng): tf.Variable {
  return createParam(params, name, [rows, cols], { kind: 'normal', std: Math.sqrt(1 / rows) }, rng);
}

/**
 * The two IMAX modules as a Trainer {@link Method}: the loss of a batch of patch pairs is
 * `-I(A(a); B(b))`. Call {@link BeckerHinton.dispose} when done.
 */
export class BeckerHinton extends ParamOwner implements Method<PatchPair> {
  readonly name = 'becker-hinton';
  /** Width of one module's input. */
  readonly inputSize: number;
  /** Resolved options. */
  readonly options: Required<BeckerHintonOptions>;
  /** Both modules' outputs side by side, `[batch, 2]`: what the Trainer's diagnostics embed. */
  readonly encoder: Encoder<PatchPair>;
  private readonly modules: [Module, Module];
  private readonly objective;

  /** @throws ConfigError for a non-positive size. */
  constructor(inputSize: number, opts: BeckerHintonOptions = {}) {
    super();
    this.options = {
      hidden: opts.hidden ?? 16,
      activation: opts.activation ?? 'square',
      seed: opts.seed ?? 0,
      eps: opts.eps ?? 1e-6,
    };
    for (const [field, value] of [
      ['inputSize', inputSize],
      ['hidden', this.options.hidden],
    ] as const) {
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new ConfigError(`expected a finite number > 0, got ${value}`, { field: `beckerHinton.${field}` });
      }
    }
    this.inputSize = inputSize;
    this.objective = imax({ eps: this.options.eps });
    const rng = new Rng(this.options.seed);
    const h = this.options.hidden;
    const make = (tag: string): Module => ({
      w1: seededMatrix(this.params, `${tag}/w1`, inputSize, h, rng),
      b1: createParam(this.params, `${tag}/b1`, [h], { kind: 'zeros' }, rng),
      w2: seededMatrix(this.params, `${tag}/w2`, h, 1, rng),
      b2: createParam(this.params, `${tag}/b2`, [1], { kind: 'zeros' }, rng),
    });
    this.modules = [make('a'), make('b')];
    this.encoder = {
      config: { kind: 'imax-modules', modality: 'classics', outputDim: 2, inputShape: [inputSize], hidden: h },
      apply: (batch) => tf.tidy(() => tf.stack([this.output(batch.a, 0), this.output(batch.b, 1)], 1) as tf.Tensor2D),
      trainableVariables: () => this.trainableVariables(),
      allVariables: () => this.trainableVariables(),
      dispose: () => {}, // the method owns the modules
    };
  }

  /** Module `which`'s scalar outputs for inputs `x` `[batch, inputSize]` -> `[batch]`. */
  output(x: tf.Tensor2D, which: 0 | 1): tf.Tensor1D {
    const m = this.modules[which];
    return tf.tidy(() => {
      const pre = tf.add(tf.matMul(x, m.w1), m.b1);
      const hidden = this.options.activation === 'square' ? tf.square(pre) : tf.tanh(pre);
      return tf.reshape(tf.add(tf.matMul(hidden, m.w2), m.b2), [-1]) as tf.Tensor1D;
    });
  }

  /** The Trainer's loss of a batch: `-I(A(a); B(b))` (nats). */
  computeLoss(batch: PatchPair): LossOutput {
    return { loss: this.objective.compute({ a: this.output(batch.a, 0), b: this.output(batch.b, 1) }) };
  }

  /** Both modules' outputs, `[batch, 2]`. */
  embed(batch: PatchPair): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  /** The modules' weights (`a/w1`, `a/b1`, `a/w2`, `a/b2`, then `b/...`) are all their state. */
  stateVariables(): Map<string, tf.Variable> {
    return this.allVariables();
  }

  /** Pearson correlation of each module's output with the true disparity on `data`. */
  disparityCorrelation(data: Stereograms): { a: number; b: number } {
    const [outA, outB] = tf.tidy(() => {
      const a = tf.tensor2d(data.a, [data.count, data.inputSize]);
      const b = tf.tensor2d(data.b, [data.count, data.inputSize]);
      return [this.output(a, 0).dataSync(), this.output(b, 1).dataSync()];
    });
    return { a: pearson(outA!, data.disparityA), b: pearson(outB!, data.disparityB) };
  }
}

/** Pearson correlation of two equal-length series (0 when either is constant). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/**
 * Offsets of the seeds of the two held-out stereogram streams: a run seeded `seed` measures on
 * `randomDotStereograms(count, offset + seed)`. The training stream draws each sample's seed
 * from (`seed`, index) through `stereogramSampleSeed`, so the three streams are distinct.
 */
export const HELD_OUT_SEED_OFFSET: Readonly<Record<'validation' | 'test', number>> = {
  test: 1_000_003,
  validation: 2_000_003,
};

/** The held-out stereograms `set` of a run seeded `seed` (validation chooses settings, test reports). */
export function heldOutStereograms(
  set: 'validation' | 'test',
  count: number,
  seed: number,
  opts: StereogramOptions = {},
): Stereograms {
  const offset = HELD_OUT_SEED_OFFSET[set];
  if (offset === undefined) {
    throw new ConfigError(`expected validation or test, got ${set}`, { field: 'beckerHinton.evaluate' });
  }
  return randomDotStereograms(count, offset + seed, opts);
}

/** Options of {@link trainBeckerHinton}. */
export interface TrainBeckerHintonOptions extends BeckerHintonOptions, StereogramOptions, ExperimentRunOptions {
  /** Adam steps; default 600. */
  steps?: number;
  /** Stereograms per step; default 256. */
  batchSize?: number;
  /** Adam learning rate (constant); default 0.03. */
  learningRate?: number;
  /**
   * Training stereograms, generated per batch from the seed; default 153,600 (600 x 256: the
   * default run sees each once).
   */
  trainSize?: number;
  /** Held-out stereograms for the correlation; default 2000. */
  testSize?: number;
  /**
   * Which held-out stream the correlation and information are measured on: `'test'` (default,
   * seed `1_000_003 + seed`) or `'validation'` (seed `2_000_003 + seed`), to choose settings
   * without opening the test stream (see {@link heldOutStereograms}).
   */
  evaluate?: 'validation' | 'test';
  /** Called every 100 steps with the steps done and the batch information (nats). */
  onProgress?: (step: number, information: number) => void;
}

/** What {@link trainBeckerHinton} measured. */
export interface BeckerHintonResult extends RunFacts {
  /** |correlation| of module A's output with the true disparity on the held-out set at init. */
  correlationBefore: number;
  /** The same after training. */
  correlationAfter: number;
  /** The same for module B, after training. */
  correlationAfterB: number;
  /** IMAX information (nats) of the held-out outputs after training. */
  information: number;
  /** Batch information per step (the whole run's, when resumed). */
  history: number[];
}

/**
 * Trains two IMAX modules with core's Trainer on seeded stereograms and measures how well
 * module outputs track the true disparity on a held-out set (`evaluate`: the test stream by
 * default, or the validation stream). The model is disposed before returning.
 */
export async function trainBeckerHinton(opts: TrainBeckerHintonOptions = {}): Promise<BeckerHintonResult> {
  const seed = opts.seed ?? 0;
  const batchSize = opts.batchSize ?? 256;
  const test = heldOutStereograms(opts.evaluate ?? 'test', opts.testSize ?? 2000, seed, opts);
  const train = new StereogramDataset(opts.trainSize ?? 600 * 256, seed, opts);
  const model = new BeckerHinton(test.inputSize, opts);
  const onProgress = opts.onProgress;
  const callbacks: TrainerCallback[] = [...(opts.callbacks ?? [])];
  if (onProgress) {
    callbacks.push({ onStepEnd: (i) => (i.step % 100 === 0 ? onProgress(i.step, -i.loss) : undefined) });
  }
  try {
    const correlationBefore = Math.abs(model.disparityCorrelation(test).a);
    const r: TrainResult = await runExperiment(
      model,
      train,
      { batchSize: batchSize, steps: opts.steps ?? 600, seed, lr: opts.learningRate ?? 0.03 },
      opts,
      callbacks,
    );
    const after = model.disparityCorrelation(test);
    const information = tf.tidy(() => {
      const a = tf.tensor2d(test.a, [test.count, test.inputSize]);
      const b = tf.tensor2d(test.b, [test.count, test.inputSize]);
      return tf.neg(imax().compute({ a: model.output(a, 0), b: model.output(b, 1) })).dataSync()[0]!;
    });
    return {
      correlationBefore,
      correlationAfter: Math.abs(after.a),
      correlationAfterB: Math.abs(after.b),
      information,
      history: r.lossHistory.map((l) => -l),
      ...runFacts(r),
    };
  } finally {
    model.dispose();
  }
}
