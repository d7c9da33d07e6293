/** The multimodal methods' definitions: modality, shared trainer settings. */
import { methodDefiner, type TrainerOptions } from '@autodidact/core';
import type { PairedBatch } from '../data/paired-dataset.js';

/** runClipExperiment's settings: Adam at a constant 2e-3 (tfjs's epsilon), 64 pairs a step. */
export const MULTIMODAL_TRAINER_DEFAULTS: Partial<TrainerOptions> = {
  batchSize: 64,
  epochs: 1,
  optimizer: { name: 'adam', lr: 2e-3, eps: 1e-7 },
  schedule: { kind: 'constant' },
};

/**
 * A multimodal method's definition (`modality: 'multimodal'`, paired batches;
 * {@link MULTIMODAL_TRAINER_DEFAULTS} unless it gives its own): what
 * `autodidact pretrain multimodal --method <name>` builds.
 */
export const multimodalMethod = methodDefiner<PairedBatch>('multimodal', MULTIMODAL_TRAINER_DEFAULTS);
