/**
 * The two CLIP experiments of this package, shared by the tests, the example and the results
 * script: (a) MNIST images <-> spoken digits, (b) Fashion-MNIST images <-> class descriptions.
 * Each pairs every training image of class c once with a seeded draw of class c's other
 * modality (a clip, a description), trains a {@link Clip} with core's Trainer for a fixed
 * number of steps (checkpoints and exact resume when `checkpointDir` is given), then scores
 * zero-shot classification and pair retrieval on held-out data, beside the same model at
 * random init. The held-out data is the test split, or the validation split (`evaluate:
 * 'validation'`, which opens no test file): the splits of docs/protocol.md.
 */
import {
  type ExperimentRunOptions,
  Rng,
  runExperiment,
  type TrainResult,
  type TrainerCallback,
} from '@autodidact/core';
import { convSmallConfig, createConvSmall } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { Clip, type ClipOptions } from './clip.js';
import {
  allDescriptions,
  describeClass,
  loadFashionImages,
  TEST_TEMPLATES,
  TRAIN_TEMPLATES,
  VALIDATION_TEMPLATES,
} from './data/class-descriptions.js';
import { PairedDataset } from './data/paired-dataset.js';
import {
  type ClipEvaluation,
  disposePairs,
  type LabelledTensor,
  loadDigitAudioPairs,
} from './data/spoken-digit-pairs.js';
import { BagOfTokensEncoder, bagOfTokensConfig, buildVocab } from './encoders/bag-of-tokens-encoder.js';
import { type RetrievalScores, retrieval, zeroShotAccuracy } from './eval/zero-shot.js';

/** The two experiments. */
export type ClipTask = 'digits-audio' | 'fashion-text';

/** Options of {@link runClipExperiment}; all but `dataDir` have defaults. */
export interface ClipRunOptions extends ExperimentRunOptions {
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
  /** MNIST / Fashion-MNIST training images used (the first of the training split's 50,000). Default 10000. */
  trainImages?: number;
  /** Held-out (test or validation) images scored. Default 1000. */
  testImages?: number;
  /**
   * Which held-out side is scored: `test` (t10k images, the held-out accents, TEST_TEMPLATES)
   * or `validation` (training images 50,000-59,999, the en-gb-x-rp voice, VALIDATION_TEMPLATES;
   * no test file is opened). Default 'test'.
   */
  evaluate?: ClipEvaluation;
  /** Pairs in the retrieval gallery. Default 200. */
  retrievalPairs?: number;
  /** Adam learning rate (constant schedule). Default 2e-3. */
  learningRate?: number;
  /** Options of the {@link Clip} method. */
  clip?: Partial<ClipOptions>;
  /** Called every `logEvery` steps (and after the last) with the steps done and the step's loss. */
  onLog?: (step: number, loss: number) => void;
  /** Default 50. */
  logEvery?: number;
}

/** Held-out (test or validation) scores of one model. */
export interface ClipScores {
  /** Held-out images classified by the nearest class prototype of the other modality. */
  zeroShotA: number;
  /** Held-out items of the other modality classified by the nearest image-class prototype. */
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
  /** Wall-clock seconds of training (this process's part, when resumed). */
  seconds: number;
  /** The step a resumed run started from, when it resumed. */
  resumedFromStep?: number;
  /** The last checkpoint written, when `checkpointDir` was given. */
  checkpoint?: string;
  /** Mean loss of the last 10% of steps. */
  finalLoss: number;
  /** Learned logit scale at the end. */
  scale: number;
  /** Zero-shot chance level (1 / classes). */
  chance: number;
  /** The held-out side `random` and `trained` were scored on. */
  evaluated: ClipEvaluation;
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

function score(clip: Clip, a: LabelledTensor, b: LabelledTensor, pairs: { a: number[]; b: number[] }): ClipScores {
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
  const seed = options.seed ?? 0;
  const evaluate = options.evaluate ?? 'test';
  const rng = new Rng(seed);
  // Draws each training image's partner once, apart from the initialisation's draws.
  const pairRng = new Rng(seed + 2);
  const imageTower = createConvSmall(convSmallConfig([28, 28, 1], { width, blocks: 3 }), rng, 'image/');
  let a: Side;
  let bTest: LabelledTensor;
  let bTower: BagOfTokensEncoder | ReturnType<typeof createConvSmall>;
  let train: PairedDataset;
  let cleanup: () => void;
  if (task === 'digits-audio') {
    const p = await loadDigitAudioPairs({
      dataDir: options.dataDir,
      trainImages: options.trainImages,
      testImages: options.testImages,
      evaluate,
    });
    a = p.a;
    bTest = p.b.test;
    const [, frames, mels] = p.b.train.x.shape as number[];
    bTower = createConvSmall(convSmallConfig([frames!, mels!, 1], { width, blocks: 3 }), rng, 'audio/');
    const pools = byClass(p.b.train.labels, 10);
    const partner = Array.from(a.train.labels, (c) => pools[c]![pairRng.int(pools[c]!.length)]!);
    const clips = p.b.train.x;
    train = new PairedDataset(
      a.train.x,
      (rows) =>
        gatherRows(
          clips,
          rows.map((r) => partner[r]!),
        ),
      a.train.labels,
    );
    cleanup = () => disposePairs(p);
  } else {
    const images = await loadFashionImages(options.dataDir, options.trainImages, options.testImages, evaluate);
    const vocab = buildVocab(allDescriptions(TRAIN_TEMPLATES).texts);
    const text = new BagOfTokensEncoder(bagOfTokensConfig(vocab, 4 * width), rng, 'text/');
    bTower = text;
    a = images;
    // Held-out side of B: one held-out description per held-out image, in image order.
    const testRng = new Rng(seed + 1);
    const heldOutTemplates = evaluate === 'validation' ? VALIDATION_TEMPLATES : TEST_TEMPLATES;
    const testTexts = Array.from(images.test.labels, (l) => describeClass(l, heldOutTemplates, testRng));
    bTest = { x: text.bags(testTexts), labels: Int32Array.from(images.test.labels) };
    const descriptions = Array.from(images.train.labels, (c) => describeClass(c, TRAIN_TEMPLATES, pairRng));
    train = new PairedDataset(
      images.train.x,
      (rows) => text.bags(rows.map((r) => descriptions[r]!)),
      images.train.labels,
    );
    cleanup = () => tf.dispose([images.train.x, images.test.x, bTest.x]);
  }
  const clip = new Clip(imageTower, bTower, rng, options.clip);
  // Retrieval gallery: for text, held-out item j already pairs with held-out image j.
  const n = Math.min(options.retrievalPairs ?? 200, bTest.labels.length);
  const pairs =
    task === 'fashion-text'
      ? { a: Array.from({ length: n }, (_, i) => i), b: Array.from({ length: n }, (_, i) => i) }
      : pairIndices(a.test.labels, bTest.labels, n);
  const logEvery = options.logEvery ?? 50;
  const onLog = options.onLog;
  const callbacks: TrainerCallback[] = [...(options.callbacks ?? [])];
  if (onLog) {
    callbacks.push({
      onStepEnd: (info) => {
        if (info.step % logEvery === 0 || info.step === info.totalSteps) onLog(info.step, info.loss);
      },
    });
  }
  try {
    const random = score(clip, a.test, bTest, pairs);
    const r: TrainResult = await runExperiment(
      clip,
      train,
      { batchSize, steps, seed, lr: options.learningRate ?? 2e-3, logEvery },
      options,
      callbacks,
    );
    const tail = r.lossHistory.slice(-Math.max(1, Math.floor(r.steps / 10)));
    const trained = score(clip, a.test, bTest, pairs);
    return {
      task,
      steps: r.steps,
      batchSize,
      seconds: r.seconds,
      ...(r.resumedFromStep !== undefined ? { resumedFromStep: r.resumedFromStep } : {}),
      ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
      finalLoss: tail.reduce((s, v) => s + v, 0) / Math.max(1, tail.length),
      scale: clip.scale(),
      chance: 0.1,
      evaluated: evaluate,
      random,
      trained,
    };
  } finally {
    clip.dispose();
    cleanup();
  }
}
