import { type MethodSpec, Registry } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { AUTOENCODER_DEFAULTS, Autoencoder, MASKED_AUTOENCODER_DEFAULTS } from './autoencoder.js';
import { CONTEXT_DEFAULTS, createContext } from './context.js';
import { DATA2VEC_VISION_DEFAULTS, Data2VecVision } from './data2vec.js';
import { createJigsaw, JIGSAW_DEFAULTS } from './jigsaw.js';
import { createMultiTask, MULTI_TASK_DEFAULTS } from './multi-task.js';
import { createRotation, ROTATION_DEFAULTS } from './rotation.js';
import { S4L, S4L_DEFAULTS } from './s4l.js';
import { BARLOW_TWINS_DEFAULTS, BarlowTwins, BARLOW_TWINS_MIN_BATCH } from './barlow-twins.js';
import { BYOL, BYOL_DEFAULTS, BYOL_MIN_BATCH } from './byol.js';
import { DINO, DINO_DEFAULTS, DINO_MIN_BATCH } from './dino.js';
import { DIRECTPRED_DEFAULTS, DirectPred, DIRECTPRED_MIN_BATCH } from './directpred.js';
import { MOCO_DEFAULTS, MoCo, MOCO_MIN_BATCH } from './moco.js';
import { SIMCLR_DEFAULTS, SimCLR, SIMCLR_MIN_BATCH } from './simclr.js';
import { SIMSIAM_DEFAULTS, SimSiam, SIMSIAM_MIN_BATCH } from './simsiam.js';
import { SWAV_DEFAULTS, SwAV, SWAV_MIN_BATCH } from './swav.js';
import { VICREG_DEFAULTS, VICReg, VICREG_MIN_BATCH } from './vicreg.js';
import { DCL, DCL_DEFAULTS, DCL_MIN_BATCH, DCLW_DEFAULTS } from './dcl.js';
import { MoCoV3, MOCOV3_DEFAULTS, MOCOV3_MIN_BATCH } from './mocov3.js';
import { NNCLR, NNCLR_DEFAULTS, NNCLR_MIN_BATCH } from './nnclr.js';
import { SupCon, SUPCON_DEFAULTS, SUPCON_MIN_BATCH } from './supcon.js';
import { TiCo, TICO_DEFAULTS, TICO_MIN_BATCH } from './tico.js';

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
  minBatchSize: SIMCLR_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new SimCLR(sampleShape, options, rng),
});
methods.register({
  name: 'byol',
  description: 'BYOL: predictor + stop-gradient + EMA target (Grill et al. 2020)',
  defaultOptions: BYOL_DEFAULTS,
  trainerDefaults,
  minBatchSize: BYOL_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new BYOL(sampleShape, options, rng),
});
methods.register({
  name: 'autoencoder',
  description: 'denoising autoencoder: reconstruct the clean image (Vincent et al. 2008)',
  defaultOptions: AUTOENCODER_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Autoencoder(sampleShape, options, rng),
});
methods.register({
  name: 'simsiam',
  description: 'SimSiam: predictor + stop-gradient, no target network (Chen & He 2021)',
  defaultOptions: SIMSIAM_DEFAULTS,
  trainerDefaults,
  minBatchSize: SIMSIAM_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new SimSiam(sampleShape, options, rng),
});
methods.register({
  name: 'directpred',
  description: 'DirectPred: BYOL with a closed-form linear predictor (Tian, Chen & Ganguli 2021)',
  defaultOptions: DIRECTPRED_DEFAULTS,
  trainerDefaults,
  minBatchSize: DIRECTPRED_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DirectPred(sampleShape, options, rng),
});
methods.register({
  name: 'barlow-twins',
  description: 'Barlow Twins: cross-correlation of two views towards the identity (Zbontar et al. 2021)',
  defaultOptions: BARLOW_TWINS_DEFAULTS,
  trainerDefaults,
  minBatchSize: BARLOW_TWINS_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new BarlowTwins(sampleShape, options, rng),
});
methods.register({
  name: 'vicreg',
  description: 'VICReg: variance-invariance-covariance regularisation (Bardes, Ponce & LeCun 2022)',
  defaultOptions: VICREG_DEFAULTS,
  trainerDefaults,
  minBatchSize: VICREG_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new VICReg(sampleShape, options, rng),
});
methods.register({
  name: 'moco',
  description: 'MoCo v2: momentum key encoder and a queue of negatives (He et al. 2020; Chen et al. 2020)',
  defaultOptions: MOCO_DEFAULTS,
  trainerDefaults,
  minBatchSize: MOCO_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new MoCo(sampleShape, options, rng),
});
methods.register({
  name: 'dino',
  description: 'DINO: multi-crop self-distillation, EMA teacher centred and sharpened (Caron et al. 2021)',
  defaultOptions: DINO_DEFAULTS,
  trainerDefaults,
  minBatchSize: DINO_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DINO(sampleShape, options, rng),
});
methods.register({
  name: 'swav',
  description: 'SwAV: swapped prediction of Sinkhorn-Knopp prototype codes over multi-crop (Caron et al. 2020)',
  defaultOptions: SWAV_DEFAULTS,
  trainerDefaults,
  minBatchSize: SWAV_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new SwAV(sampleShape, options, rng),
});
methods.register({
  name: 'mae',
  description: 'masked autoencoder: reconstruct images with half their 4x4 squares hidden (He et al. 2022)',
  defaultOptions: MASKED_AUTOENCODER_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) =>
    new Autoencoder(sampleShape, options, rng, 'mae', MASKED_AUTOENCODER_DEFAULTS),
});
// Pretext tasks see 4 rotations (or 2-9 patches) of every image: half the batch of the two-view methods.
const pretextDefaults = { ...trainerDefaults, batchSize: 128 } as const;
methods.register({
  name: 'rotation',
  description: 'RotNet: predict the rotation (0/90/180/270) of each image (Gidaris et al. 2018)',
  defaultOptions: ROTATION_DEFAULTS,
  trainerDefaults: pretextDefaults,
  create: ({ sampleShape, options, rng }) => createRotation(sampleShape, options, rng),
});
methods.register({
  name: 'context',
  description: 'context prediction: position of a patch among its 8 neighbours (Doersch et al. 2015)',
  defaultOptions: CONTEXT_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => createContext(sampleShape, options, rng),
});
methods.register({
  name: 'jigsaw',
  description: 'jigsaw: name the permutation of shuffled tiles (Noroozi & Favaro 2016)',
  defaultOptions: JIGSAW_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => createJigsaw(sampleShape, options, rng),
});
methods.register({
  name: 'multi-task',
  description: 'multi-task: rotation + context + jigsaw heads on one encoder (Doersch & Zisserman 2017)',
  defaultOptions: MULTI_TASK_DEFAULTS,
  trainerDefaults: pretextDefaults,
  create: ({ sampleShape, options, rng }) => createMultiTask(sampleShape, options, rng),
});
methods.register({
  name: 's4l',
  description: 'S4L-Rotation: rotation + cross-entropy on a small labelled set (Zhai et al. 2019; needs labeledData)',
  defaultOptions: S4L_DEFAULTS,
  trainerDefaults: pretextDefaults,
  create: ({ sampleShape, options, rng }) => new S4L(sampleShape, options, rng),
});

// More contrastive methods on the two-view base (docs/methods/{nnclr,dcl,dclw,mocov3,tico,supcon}.md).
methods.register({
  name: 'nnclr',
  description: 'NNCLR: nearest neighbour from a support queue as the positive (Dwibedi et al. 2021)',
  defaultOptions: NNCLR_DEFAULTS,
  trainerDefaults,
  minBatchSize: NNCLR_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new NNCLR(sampleShape, options, rng),
});
methods.register({
  name: 'dcl',
  description: 'DCL: NT-Xent without the positive in the denominator (Yeh et al. 2022)',
  defaultOptions: DCL_DEFAULTS,
  trainerDefaults,
  minBatchSize: DCL_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, false),
});
methods.register({
  name: 'dclw',
  description: 'DCLW: DCL with von Mises-Fisher weighted positives (Yeh et al. 2022)',
  defaultOptions: DCLW_DEFAULTS,
  trainerDefaults,
  minBatchSize: DCL_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, true),
});
methods.register({
  name: 'mocov3',
  description: 'MoCo v3: predictor, momentum key encoder, in-batch negatives (Chen, Xie & He 2021)',
  defaultOptions: MOCOV3_DEFAULTS,
  trainerDefaults,
  minBatchSize: MOCOV3_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new MoCoV3(sampleShape, options, rng),
});
methods.register({
  name: 'tico',
  description: 'TiCo: invariance + contrast with a running covariance (Zhu et al. 2022)',
  defaultOptions: TICO_DEFAULTS,
  trainerDefaults,
  minBatchSize: TICO_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new TiCo(sampleShape, options, rng),
});
methods.register({
  name: 'supcon',
  description: 'SupCon: supervised contrastive, a labelled reference (Khosla et al. 2020; needs labeledData)',
  defaultOptions: SUPCON_DEFAULTS,
  trainerDefaults,
  minBatchSize: SUPCON_MIN_BATCH,
  create: ({ sampleShape, options, rng }) => new SupCon(sampleShape, options, rng),
});
methods.register({
  name: 'data2vec',
  description:
    "data2vec: regress an EMA teacher's layer-normed feature map at MAE-masked squares (Baevski et al. 2022)",
  defaultOptions: DATA2VEC_VISION_DEFAULTS,
  trainerDefaults,
  create: ({ sampleShape, options, rng }) => new Data2VecVision(sampleShape, options, rng),
});
