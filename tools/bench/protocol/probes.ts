/**
 * The probes of every results bench, one setting for all modalities (docs/protocol.md):
 * - linear: core's linearProbe with its defaults (multinomial logistic regression on features
 *   standardised with the training set's statistics, 100 epochs of Adam at 0.05 cosine-decayed,
 *   weight decay 1e-3, batch 1024), seeded by the run's seed;
 * - kNN as lightly and solo-learn run it: cosine similarity, the k most similar training rows
 *   vote with weight exp(sim / T), T = 0.07, at k = 20 and k = 200 (k is capped at the training
 *   set's size). Raw features: no standardisation before the kNN.
 */
import { type Encoder, embedDataset, knnProbe, type Labels, linearProbe } from '@autodidact/core';
import type { Dataset } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { evaluationSet, type Phase, type Splits } from './held-out.js';

/** kNN neighbour counts and temperature of every bench. */
export const KNN_KS = [20, 200] as const;
export const KNN_TEMPERATURE = 0.07;

/** Scores of one feature extractor on one split. */
export interface ProbeScores {
  linear: number;
  knn20: number;
  knn200: number;
}
export const PROBE_NAMES: readonly (keyof ProbeScores)[] = ['linear', 'knn20', 'knn200'];
/** Column headings of the probes, in PROBE_NAMES order. */
export const PROBE_HEADINGS = ['linear probe', `kNN k=20`, `kNN k=200`] as const;

/** The probe caption of a table. */
export const PROBE_CAPTION = `Linear probe: logistic regression on standardised features (core's linearProbe defaults: 100 epochs, Adam 0.05 cosine, weight decay 1e-3). kNN: cosine similarity, votes weighted exp(sim / ${KNN_TEMPERATURE}), k = 20 and 200.`;

/** Every probe on frozen features. Does not dispose its inputs. */
export async function probeFeatures(
  trainX: tf.Tensor2D,
  trainY: Labels,
  evalX: tf.Tensor2D,
  evalY: Labels,
  seed: number,
  numClasses?: number,
): Promise<ProbeScores> {
  const data = { trainX, trainY, testX: evalX, testY: evalY, ...(numClasses ? { numClasses } : {}) };
  const knn = (k: number) => knnProbe({ ...data, k, temperature: KNN_TEMPERATURE }).accuracy;
  return { linear: (await linearProbe({ ...data, seed })).accuracy, knn20: knn(20), knn200: knn(200) };
}

/**
 * Probes a feature extractor: fits on the training split, scores on validation, or on test
 * through `report(label)`. `features` maps a split to `[n, dim]` (the caller's embedding or
 * classical features); the tensors are disposed here. Splits carry their labels.
 */
export async function probeSplits<D extends { readonly labels?: Labels }>(
  features: (data: D) => tf.Tensor2D,
  splits: Splits<D>,
  phase: Phase,
  label: string,
  seed: number,
  numClasses?: number,
): Promise<ProbeScores> {
  const labelsOf = (d: D): Labels => {
    if (!d.labels) throw new Error(`probe split without labels (${label})`);
    return d.labels;
  };
  const trainX = features(splits.train);
  try {
    return await evaluationSet(splits, phase, label, async (set) => {
      const evalX = features(set);
      try {
        return await probeFeatures(trainX, labelsOf(splits.train), evalX, labelsOf(set), seed, numClasses);
      } finally {
        evalX.dispose();
      }
    });
  } finally {
    trainX.dispose();
  }
}

/** Frozen-encoder features of an in-memory dataset (eval mode), batched. */
export function encoderFeatures<B>(encoder: Encoder<B>, batchSize = 256): (data: Dataset<B>) => tf.Tensor2D {
  return (data) => embedDataset((b: B) => encoder.apply(b, false), data, batchSize);
}

/** The linear probe alone (the protocol's setting), for label-fraction curves and ablations. */
export async function linearScore(
  trainX: tf.Tensor2D,
  trainY: Labels,
  evalX: tf.Tensor2D,
  evalY: Labels,
  seed: number,
  numClasses?: number,
): Promise<number> {
  return (
    await linearProbe({ trainX, trainY, testX: evalX, testY: evalY, seed, ...(numClasses ? { numClasses } : {}) })
  ).accuracy;
}
