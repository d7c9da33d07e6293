import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../../methods/encoder.js';
import { closeDataset } from '../../data/streaming-dataset.js';
import { embedDataset, knnProbe, linearProbe } from '../../eval/index.js';
import { ConfigError } from '../../errors.js';
import type { LoadOptions, Modality } from '../modality.js';

/** Linear-probe and kNN accuracy of a trained encoder beside a randomly initialised one. */
export interface EncoderComparison {
  linear_accuracy: number;
  knn_accuracy: number;
  random_init_linear_accuracy: number;
  random_init_knn_accuracy: number;
  n_train: number;
  n_test: number;
}

/**
 * The two-stage protocol's second stage on labelled data: embed train and test sets with the
 * frozen trained encoder and with a random-init encoder of the same architecture, then fit
 * the same probes on both, so the gain from pretraining is visible in one line.
 */
export async function evaluateEncoders(args: {
  modality: Modality<unknown>;
  trained: (batch: unknown) => tf.Tensor2D;
  random: () => Encoder<unknown>;
  train: string;
  test: string;
  /** How to load the labelled data (loader options, the encoder to fit, strictness, log). */
  load?: LoadOptions;
  trainLimit?: number;
  seed: number;
  say: (line: string) => void;
}): Promise<EncoderComparison> {
  const { modality, say } = args;
  const train = await modality.loadLabeled(args.train, { ...args.load, limit: args.trainLimit });
  const test = await modality.loadLabeled(args.test, args.load);
  if (!train.labels || !test.labels) throw new ConfigError('the evaluation data has no labels');
  say(`autodidact: probing on ${train.size} labelled training and ${test.size} test samples`);
  const randomEncoder = args.random();
  const results: number[] = [];
  for (const embed of [args.trained, (b: unknown) => randomEncoder.apply(b, false)]) {
    const trainX = await embedDataset(embed, train);
    const testX = await embedDataset(embed, test);
    const common = { trainX, trainY: train.labels, testX, testY: test.labels, seed: args.seed };
    results.push((await linearProbe(common)).accuracy, knnProbe(common).accuracy);
    tf.dispose([trainX, testX]);
  }
  randomEncoder.dispose();
  await closeDataset(train);
  await closeDataset(test);
  return {
    linear_accuracy: results[0]!,
    knn_accuracy: results[1]!,
    random_init_linear_accuracy: results[2]!,
    random_init_knn_accuracy: results[3]!,
    n_train: train.size,
    n_test: test.size,
  };
}
