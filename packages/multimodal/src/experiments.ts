/**
 * The two CLIP experiments of this package, shared by the tests, the example and the results
 * script: (a) MNIST images <-> spoken digits, (b) Fashion-MNIST images <-> class descriptions.
 * Each trains a {@link Clip} for a fixed number of steps on pairs drawn afresh every step
 * (an image of class c with a random clip / description of class c), then scores zero-shot
 * classification and pair retrieval on held-out data, beside the same model at random init.
 */
import { Rng } from '@autodidact/core';
import { convSmallConfig, createConvSmall } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { Clip, type ClipOptions } from './clip.js';
import {
  allDescriptions,
  describeClass,
  loadFashionImages,
  TEST_TEMPLATES,
  TRAIN_TEMPLATES,
} from './data/class-descriptions.js';
import { disposePairs, type LabelledTensor, loadDigitAudioPairs } from './data/spoken-digit-pairs.js';
import { BagOfTokensEncoder, bagOfTokensConfig, buildVocab } from './encoders/bag-of-tokens-encoder.js';
import { type RetrievalScores, retrieval, zeroShotAccuracy } from './eval/zero-shot.js';

/** The two experiments. */
export type ClipTask = 'digits-audio' | 'fashion-text';

/** Options of {@link runClipExperiment}; all but `dataDir` have defaults. */
export interface ClipRunOptions {
  /** Data root holding mnist/, fashion-mnist/ and spoken-digits/. */
  dataDir: string;
  /** Optimizer steps. Default 300. */
  steps?: number;
  /** Pairs per step. Default 64. */
  batchSize?: number;
  /** Seed of initialisation and pair sampling. Default 0. */
  seed?: number;
  /** First-stage channels of the conv towers. Default 16. */
  width?: number;
  /** MNIST / Fashion-MNIST training images used. Default 10000. */
  trainImages?: number;
  /** Test images scored. Default 1000. */
  testImages?: number;
  /** Pairs in the retrieval gallery. Default 200. */
  retrievalPairs?: number;
  /** Options of the {@link Clip} method (learning rate default 2e-3 here). */
  clip?: Partial<ClipOptions>;
  /** Called every `logEvery` steps with the current loss. */
  onLog?: (step: number, loss: number) => void;
  /** Default 50. */
  logEvery?: number;
}

/** Held-out scores of one model. */
export interface ClipScores {
  /** Test images classified by the nearest class prototype of the other modality. */
  zeroShotA: number;
  /** Test items of the other modality classified by the nearest image-class prototype. */
  zeroShotB: number;
  /** Image -> other modality pair retrieval. */
  aToB: RetrievalScores;
  /** Other modality -> image pair retrieval. */
  bToA: RetrievalScores;
}

/** Result of {@link runClipExperiment}. */
export interface ClipRunResult {
  task: ClipTask;
  steps: number;
  batchSize: number;
  /** Wall-clock seconds of training. */
  seconds: number;
  /** Mean loss of the last 10% of steps. */
  finalLoss: number;
  /** Learned logit scale at the end. */
  scale: number;
  /** Zero-shot chance level (1 / classes). */
  chance: number;
  random: ClipScores;
  trained: ClipScores;
}

interface Side {
  train: LabelledTensor;
  test: LabelledTensor;
}

/** Draws index lists per class. */
function byClass(labels: Int32Array, classes: number): number[][] {
  const out: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => {
    out[l]!.push(i);
  });
  return out;
}

function gatherRows(x: tf.Tensor, rows: readonly number[]): tf.Tensor {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(rows as number[], 'int32')));
}

/** Pairs each item of `b` with the next unused test image of its class (deterministic). */
function pairIndices(aLabels: Int32Array, bLabels: Int32Array, count: number): { a: number[]; b: number[] } {
  const pools = byClass(aLabels, 10);
  const used = new Array(10).fill(0);
  const a: number[] = [];
  const b: number[] = [];
  for (let j = 0; j < bLabels.length && a.length < count; j++) {
    const c = bLabels[j]!;
    const i = pools[c]![used[c]++];
    if (i === undefined) continue;
    a.push(i);
    b.push(j);
  }
  return { a, b };
}

function score(clip: Clip, a: Side['test'], b: Side['test'], pairs: { a: number[]; b: number[] }): ClipScores {
  const ea = clip.embedA(a.x);
  const eb = clip.embedB(b.x);
  const pa = gatherRows(ea, pairs.a) as tf.Tensor2D;
  const pb = gatherRows(eb, pairs.b) as tf.Tensor2D;
  const pairLabels = Int32Array.from(pairs.a, (i) => a.labels[i]!);
  try {
    return {
      zeroShotA: zeroShotAccuracy(ea, a.labels, eb, b.labels, 10),
      zeroShotB: zeroShotAccuracy(eb, b.labels, ea, a.labels, 10),
      aToB: retrieval(pa, pb, pairLabels),
      bToA: retrieval(pb, pa, pairLabels),
    };
  } finally {
    tf.dispose([ea, eb, pa, pb]);
  }
}

/**
 * Trains and scores one CLIP experiment. Needs data/mnist + data/spoken-digits
 * (`digits-audio`) or data/fashion-mnist (`fashion-text`).
 * @throws ConfigError naming a missing data set and the command that fetches it.
 */
export async function runClipExperiment(task: ClipTask, options: ClipRunOptions): Promise<ClipRunResult> {
  const steps = options.steps ?? 300;
  const batchSize = options.batchSize ?? 64;
  const width = options.width ?? 16;
  const rng = new Rng(options.seed ?? 0);
  const imageTower = createConvSmall(convSmallConfig([28, 28, 1], { width, blocks: 3 }), rng, 'image/');
  let a: Side;
  let b: Side;
  let bTower: BagOfTokensEncoder | ReturnType<typeof createConvSmall>;
  // Builds modality B's training batch for a list of class labels.
  let drawB: (labels: number[]) => tf.Tensor;
  let cleanup: () => void;
  if (task === 'digits-audio') {
    const p = await loadDigitAudioPairs({
      dataDir: options.dataDir,
      trainImages: options.trainImages,
      testImages: options.testImages,
    });
    a = p.a;
    b = p.b;
    const [, frames, mels] = b.train.x.shape as number[];
    bTower = createConvSmall(convSmallConfig([frames!, mels!, 1], { width, blocks: 3 }), rng, 'audio/');
    const pools = byClass(b.train.labels, 10);
    drawB = (labels) => {
      const pool = labels.map((c) => pools[c]![rng.int(pools[c]!.length)]!);
      return gatherRows(b.train.x, pool);
    };
    cleanup = () => disposePairs(p);
  } else {
    const images = await loadFashionImages(options.dataDir, options.trainImages, options.testImages);
    const vocab = buildVocab(allDescriptions(TRAIN_TEMPLATES).texts);
    const text = new BagOfTokensEncoder(bagOfTokensConfig(vocab, 4 * width), rng, 'text/');
    bTower = text;
    a = images;
    // Test side of B: one held-out description per test image, in image order.
    const testRng = new Rng((options.seed ?? 0) + 1);
    const testTexts = Array.from(images.test.labels, (l) => describeClass(l, TEST_TEMPLATES, testRng));
    const bTest = text.bags(testTexts);
    b = {
      train: { x: tf.zeros([1, vocab.length]), labels: new Int32Array(1) }, // unused: drawn per step
      test: { x: bTest, labels: Int32Array.from(images.test.labels) },
    };
    drawB = (labels) => text.bags(labels.map((c) => describeClass(c, TRAIN_TEMPLATES, rng)));
    cleanup = () => tf.dispose([images.train.x, images.test.x, bTest, b.train.x]);
  }
  const clip = new Clip(imageTower, bTower, rng, { learningRate: 2e-3, ...options.clip });
  // Retrieval gallery: for text, test item j already pairs with test image j.
  const n = Math.min(options.retrievalPairs ?? 200, b.test.labels.length);
  const pairs =
    task === 'fashion-text'
      ? { a: Array.from({ length: n }, (_, i) => i), b: Array.from({ length: n }, (_, i) => i) }
      : pairIndices(a.test.labels, b.test.labels, n);
  try {
    const random = score(clip, a.test, b.test, pairs);
    const t0 = performance.now();
    const losses: number[] = [];
    const nTrain = a.train.labels.length;
    for (let step = 0; step < steps; step++) {
      const rows = Array.from({ length: batchSize }, () => rng.int(nTrain));
      const xa = gatherRows(a.train.x, rows);
      const xb = drawB(rows.map((r) => a.train.labels[r]!));
      const loss = clip.trainStep(xa, xb);
      tf.dispose([xa, xb]);
      losses.push(loss);
      if (options.onLog && (step % (options.logEvery ?? 50) === 0 || step === steps - 1)) options.onLog(step, loss);
    }
    const seconds = (performance.now() - t0) / 1000;
    const tail = losses.slice(-Math.max(1, Math.floor(steps / 10)));
    const trained = score(clip, a.test, b.test, pairs);
    return {
      task,
      steps,
      batchSize,
      seconds,
      finalLoss: tail.reduce((s, v) => s + v, 0) / Math.max(1, tail.length),
      scale: clip.scale(),
      chance: 0.1,
      random,
      trained,
    };
  } finally {
    clip.dispose();
    cleanup();
  }
}
