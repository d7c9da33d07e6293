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
 * Adam, fresh stereograms every step.
 */
import { ConfigError, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { imax } from '../objectives/imax.js';
import { randomDotStereograms, type StereogramOptions, type Stereograms } from '../stereograms/random-dot.js';

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
  /** Adam learning rate; default 0.03. */
  learningRate?: number;
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

function seededMatrix(rng: Rng, rows: number, cols: number, name: string): tf.Variable {
  const scale = Math.sqrt(1 / rows); // LeCun normal: unit-variance pre-activations for +-1 inputs
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
  return tf.variable(tf.tensor2d(values, [rows, cols]), true, name);
}

/** The two IMAX modules and their optimizer. Call {@link BeckerHinton.dispose} when done. */
export class BeckerHinton {
  /** Width of one module's input. */
  readonly inputSize: number;
  /** Resolved options. */
  readonly options: Required<BeckerHintonOptions>;
  private readonly modules: [Module, Module];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly objective;

  /** @throws ConfigError for a non-positive size or learning rate. */
  constructor(inputSize: number, opts: BeckerHintonOptions = {}) {
    this.options = {
      hidden: opts.hidden ?? 16,
      activation: opts.activation ?? 'square',
      learningRate: opts.learningRate ?? 0.03,
      seed: opts.seed ?? 0,
      eps: opts.eps ?? 1e-6,
    };
    for (const [field, value] of [
      ['inputSize', inputSize],
      ['hidden', this.options.hidden],
      ['learningRate', this.options.learningRate],
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
      w1: seededMatrix(rng, inputSize, h, `imax/${tag}/w1`),
      b1: tf.variable(tf.zeros([h]), true, `imax/${tag}/b1`),
      w2: seededMatrix(rng, h, 1, `imax/${tag}/w2`),
      b2: tf.variable(tf.zeros([1]), true, `imax/${tag}/b2`),
    });
    this.modules = [make('a'), make('b')];
    this.optimizer = tf.train.adam(this.options.learningRate);
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

  /** One Adam step on `-I(A(a); B(b))`; returns the information I (nats) before the step. */
  trainStep(a: tf.Tensor2D, b: tf.Tensor2D): number {
    const loss = tf.tidy(
      () =>
        this.optimizer.minimize(() => this.objective.compute({ a: this.output(a, 0), b: this.output(b, 1) }), true)!,
    );
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return -value;
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

  /** Releases the weights and the optimizer state. */
  dispose(): void {
    for (const m of this.modules) for (const v of Object.values(m)) v.dispose();
    this.optimizer.dispose();
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

/** Options of {@link trainBeckerHinton}. */
export interface TrainBeckerHintonOptions extends BeckerHintonOptions, StereogramOptions {
  /** Adam steps; default 600. */
  steps?: number;
  /** Stereograms per step; default 256. */
  batchSize?: number;
  /** Held-out stereograms for the correlation; default 2000. */
  testSize?: number;
  /** Called every 100 steps with the step and the batch information. */
  onProgress?: (step: number, information: number) => void;
}

/** What {@link trainBeckerHinton} measured. */
export interface BeckerHintonResult {
  /** |correlation| of module A's output with the true disparity on held-out data at init. */
  correlationBefore: number;
  /** The same after training. */
  correlationAfter: number;
  /** The same for module B, after training. */
  correlationAfterB: number;
  /** IMAX information (nats) of the held-out outputs after training. */
  information: number;
  /** Batch information per step. */
  history: number[];
  /** Wall time of the training loop, ms. */
  trainMs: number;
}

/**
 * Trains two IMAX modules on fresh seeded stereograms and measures how well module outputs
 * track the true disparity on a held-out set. The model is disposed before returning.
 */
export function trainBeckerHinton(opts: TrainBeckerHintonOptions = {}): BeckerHintonResult {
  const seed = opts.seed ?? 0;
  const steps = opts.steps ?? 600;
  const batchSize = opts.batchSize ?? 256;
  const test = randomDotStereograms(opts.testSize ?? 2000, 1_000_003 + seed, opts);
  const model = new BeckerHinton(test.inputSize, opts);
  try {
    const correlationBefore = Math.abs(model.disparityCorrelation(test).a);
    const history: number[] = [];
    const start = performance.now();
    for (let step = 0; step < steps; step++) {
      const batch = randomDotStereograms(batchSize, seed * 100_003 + step, opts);
      const a = tf.tensor2d(batch.a, [batchSize, batch.inputSize]);
      const b = tf.tensor2d(batch.b, [batchSize, batch.inputSize]);
      history.push(model.trainStep(a, b));
      tf.dispose([a, b]);
      if (opts.onProgress && (step + 1) % 100 === 0) opts.onProgress(step + 1, history[step]!);
    }
    const trainMs = performance.now() - start;
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
      history,
      trainMs,
    };
  } finally {
    model.dispose();
  }
}
