/**
 * The baselines of every results table (docs/protocol.md):
 * - random init as built (batch-norm running statistics 0 / 1) and random init with the
 *   batch-norm statistics re-estimated on the training split (core's reestimateBatchNorm): the
 *   same weights, the second the fair one;
 * - raw input or classical features (each bench's own: pixels, log-mel statistics, TF-IDF,
 *   k-mer frequencies);
 * - where labels allow, a supervised model of the same architecture trained on the same labels
 *   (core's fineTune from the random init, encoder and linear head end to end).
 */
import { type AnyDataset, type Dataset, type Encoder, fineTune, reestimateBatchNorm } from '@autodidact/core';
import { evaluationSet, type Phase, type Splits } from './held-out.js';
import type { ProbeScores } from './probes.js';

/** Row names of the random-init baselines. */
export const RANDOM_INIT = 'random init (as built)';
export const RANDOM_INIT_BN = 'random init, batch-norm statistics re-estimated';
export const SUPERVISED = 'supervised, same architecture';

/**
 * Probes a random-init encoder as built, then again with its batch-norm statistics re-estimated
 * on `train` (`reestimated` is absent when the encoder has no batch norm: the two are the same).
 * The encoder's statistics are changed; its weights are not.
 */
export async function probeRandomInit<B>(
  encoder: Encoder<B>,
  train: Dataset<B>,
  probe: (encoder: Encoder<B>, variant: 'as built' | 'batch norm re-estimated') => Promise<ProbeScores>,
  maxSamples = 10_000,
): Promise<{ asIs: ProbeScores; reestimated?: ProbeScores }> {
  const asIs = await probe(encoder, 'as built');
  const { layers } = reestimateBatchNorm(encoder, train, { maxSamples, batchSize: 128 });
  return layers > 0 ? { asIs, reestimated: await probe(encoder, 'batch norm re-estimated') } : { asIs };
}

/** Settings of the supervised baseline. */
export interface SupervisedOptions {
  steps: number;
  batchSize?: number;
  /** Encoder learning rate (the head's is 10x). Default 1e-3. */
  lr?: number;
}

/**
 * Accuracy of `encoder` (fresh, random init) trained end to end with a linear head on the
 * training split's labels, scored on validation or (through `report(label)`) on test.
 * The encoder's weights change.
 */
export async function supervisedBaseline<B>(
  encoder: Encoder<B>,
  splits: Splits<AnyDataset<B>>,
  phase: Phase,
  label: string,
  seed: number,
  options: SupervisedOptions,
): Promise<number> {
  return evaluationSet(splits, phase, label, async (evalSet) => {
    const r = await fineTune({
      encoder,
      train: splits.train,
      test: evalSet,
      steps: options.steps,
      batchSize: options.batchSize ?? 64,
      lr: options.lr ?? 1e-3,
      seed,
      evalTrain: false,
      progress: { quiet: true },
    });
    return r.accuracy;
  });
}
