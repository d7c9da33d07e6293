import { type MethodSpec, Registry } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { AUTOENCODER_DEFAULTS, Autoencoder } from './autoencoder.js';
import { BYOL, BYOL_DEFAULTS } from './byol.js';
import { SIMCLR_DEFAULTS, SimCLR } from './simclr.js';

/** Image methods by name: what `autodidact pretrain vision --method <name>` builds. */
export const methods = new Registry<MethodSpec<tf.Tensor>>('vision method');

// Adam with warm-up and cosine decay trains all three well on CPU-sized batches.
const trainerDefaults = {
  batchSize: 256,
  epochs: 1,
  optimizer: { name: 'adam', lr: 2e-3 },
  schedule: { kind: 'cosine', warmupSteps: 20, minLrRatio: 0.05 },
} as const;

methods.register({
  name: 'simclr',
  description: 'SimCLR: NT-Xent between two augmented views (Chen et al. 2020)',
  defaultOptions: SIMCLR_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new SimCLR(sampleShape, options, rng),
});
methods.register({
  name: 'byol',
  description: 'BYOL: predictor + stop-gradient + EMA target (Grill et al. 2020)',
  defaultOptions: BYOL_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new BYOL(sampleShape, options, rng),
});
methods.register({
  name: 'autoencoder',
  description: 'denoising autoencoder: reconstruct the clean image (Vincent et al. 2008)',
  defaultOptions: AUTOENCODER_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Autoencoder(sampleShape, options, rng),
});
