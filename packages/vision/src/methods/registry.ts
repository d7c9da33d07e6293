import { adamWarmupCosineDefaults, defineMethod, methodRegistry } from '@autodidact/core';
import { AUTOENCODER_DEFAULTS, Autoencoder, MASKED_AUTOENCODER_DEFAULTS, AUTOENCODER_SCHEMA } from './autoencoder.js';
import { CONTEXT_DEFAULTS, createContext, CONTEXT_SCHEMA } from './context.js';
import { DATA2VEC_VISION_DEFAULTS, Data2VecVision, DATA2VEC_VISION_SCHEMA } from './data2vec.js';
import { createJigsaw, JIGSAW_DEFAULTS, JIGSAW_SCHEMA } from './jigsaw.js';
import { createMultiTask, MULTI_TASK_DEFAULTS, MULTI_TASK_SCHEMA } from './multi-task.js';
import { createRotation, ROTATION_DEFAULTS, ROTATION_SCHEMA } from './rotation.js';
import { S4L, S4L_DEFAULTS, S4L_SCHEMA } from './s4l.js';
import { BARLOW_TWINS_DEFAULTS, BarlowTwins, BARLOW_TWINS_MIN_BATCH, BARLOW_TWINS_SCHEMA } from './barlow-twins.js';
import { BYOL, BYOL_DEFAULTS, BYOL_MIN_BATCH, BYOL_SCHEMA } from './byol.js';
import { DINO, DINO_DEFAULTS, DINO_MIN_BATCH, DINO_SCHEMA } from './dino.js';
import { DIRECTPRED_DEFAULTS, DirectPred, DIRECTPRED_MIN_BATCH, DIRECTPRED_SCHEMA } from './directpred.js';
import { MOCO_DEFAULTS, MoCo, MOCO_MIN_BATCH, MOCO_SCHEMA } from './moco.js';
import { SIMCLR_DEFAULTS, SimCLR, SIMCLR_MIN_BATCH, SIMCLR_SCHEMA } from './simclr.js';
import { SIMSIAM_DEFAULTS, SimSiam, SIMSIAM_MIN_BATCH, SIMSIAM_SCHEMA } from './simsiam.js';
import { SWAV_DEFAULTS, SwAV, SWAV_MIN_BATCH, SWAV_SCHEMA } from './swav.js';
import { VICREG_DEFAULTS, VICReg, VICREG_MIN_BATCH, VICREG_SCHEMA } from './vicreg.js';
import { DCL, DCL_DEFAULTS, DCL_MIN_BATCH, DCLW_DEFAULTS, DCL_SCHEMA, DCLW_SCHEMA } from './dcl.js';
import { MoCoV3, MOCOV3_DEFAULTS, MOCOV3_MIN_BATCH, MOCOV3_SCHEMA } from './mocov3.js';
import { NNCLR, NNCLR_DEFAULTS, NNCLR_MIN_BATCH, NNCLR_SCHEMA } from './nnclr.js';
import { SupCon, SUPCON_DEFAULTS, SUPCON_MIN_BATCH, SUPCON_SCHEMA } from './supcon.js';
import { TiCo, TICO_DEFAULTS, TICO_MIN_BATCH, TICO_SCHEMA } from './tico.js';

// Adam with warm-up and cosine decay trains all three well on CPU-sized batches.
const trainerDefaults = adamWarmupCosineDefaults(256, 2e-3);
// Pretext tasks see 4 rotations (or 2-9 patches) of every image: half the batch of the two-view methods.
const pretextDefaults = adamWarmupCosineDefaults(128, 2e-3);

/** Image methods by name: what `autodidact pretrain vision --method <name>` builds. */
export const methods = methodRegistry('vision method', [
  defineMethod({
    name: 'simclr',
    modality: 'vision',
    summary: 'SimCLR: NT-Xent between two augmented views (Chen et al. 2020)',
    defaults: SIMCLR_DEFAULTS,
    schema: SIMCLR_SCHEMA,
    trainerDefaults,
    minBatchSize: SIMCLR_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new SimCLR(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'byol',
    modality: 'vision',
    summary: 'BYOL: predictor + stop-gradient + EMA target (Grill et al. 2020)',
    defaults: BYOL_DEFAULTS,
    schema: BYOL_SCHEMA,
    trainerDefaults,
    minBatchSize: BYOL_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new BYOL(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'autoencoder',
    modality: 'vision',
    summary: 'denoising autoencoder: reconstruct the clean image (Vincent et al. 2008)',
    defaults: AUTOENCODER_DEFAULTS,
    schema: AUTOENCODER_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new Autoencoder(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'simsiam',
    modality: 'vision',
    summary: 'SimSiam: predictor + stop-gradient, no target network (Chen & He 2021)',
    defaults: SIMSIAM_DEFAULTS,
    schema: SIMSIAM_SCHEMA,
    trainerDefaults,
    minBatchSize: SIMSIAM_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new SimSiam(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'directpred',
    modality: 'vision',
    summary: 'DirectPred: BYOL with a closed-form linear predictor (Tian, Chen & Ganguli 2021)',
    defaults: DIRECTPRED_DEFAULTS,
    schema: DIRECTPRED_SCHEMA,
    trainerDefaults,
    minBatchSize: DIRECTPRED_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new DirectPred(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'barlow-twins',
    modality: 'vision',
    summary: 'Barlow Twins: cross-correlation of two views towards the identity (Zbontar et al. 2021)',
    defaults: BARLOW_TWINS_DEFAULTS,
    schema: BARLOW_TWINS_SCHEMA,
    trainerDefaults,
    minBatchSize: BARLOW_TWINS_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new BarlowTwins(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'vicreg',
    modality: 'vision',
    summary: 'VICReg: variance-invariance-covariance regularisation (Bardes, Ponce & LeCun 2022)',
    defaults: VICREG_DEFAULTS,
    schema: VICREG_SCHEMA,
    trainerDefaults,
    minBatchSize: VICREG_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new VICReg(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'moco',
    modality: 'vision',
    summary: 'MoCo v2: momentum key encoder and a queue of negatives (He et al. 2020; Chen et al. 2020)',
    defaults: MOCO_DEFAULTS,
    schema: MOCO_SCHEMA,
    trainerDefaults,
    minBatchSize: MOCO_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new MoCo(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'dino',
    modality: 'vision',
    summary: 'DINO: multi-crop self-distillation, EMA teacher centred and sharpened (Caron et al. 2021)',
    defaults: DINO_DEFAULTS,
    schema: DINO_SCHEMA,
    trainerDefaults,
    minBatchSize: DINO_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new DINO(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'swav',
    modality: 'vision',
    summary: 'SwAV: swapped prediction of Sinkhorn-Knopp prototype codes over multi-crop (Caron et al. 2020)',
    defaults: SWAV_DEFAULTS,
    schema: SWAV_SCHEMA,
    trainerDefaults,
    minBatchSize: SWAV_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new SwAV(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'mae',
    modality: 'vision',
    summary: 'masked autoencoder: reconstruct images with half their 4x4 squares hidden (He et al. 2022)',
    defaults: MASKED_AUTOENCODER_DEFAULTS,
    schema: AUTOENCODER_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) =>
      new Autoencoder(sampleShape, options, rng, 'mae', MASKED_AUTOENCODER_DEFAULTS),
  }),
  defineMethod({
    name: 'rotation',
    modality: 'vision',
    summary: 'RotNet: predict the rotation (0/90/180/270) of each image (Gidaris et al. 2018)',
    defaults: ROTATION_DEFAULTS,
    schema: ROTATION_SCHEMA,
    trainerDefaults: pretextDefaults,
    create: ({ sampleShape, options, rng }) => createRotation(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'context',
    modality: 'vision',
    summary: 'context prediction: position of a patch among its 8 neighbours (Doersch et al. 2015)',
    defaults: CONTEXT_DEFAULTS,
    schema: CONTEXT_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => createContext(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'jigsaw',
    modality: 'vision',
    summary: 'jigsaw: name the permutation of shuffled tiles (Noroozi & Favaro 2016)',
    defaults: JIGSAW_DEFAULTS,
    schema: JIGSAW_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => createJigsaw(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'multi-task',
    modality: 'vision',
    summary: 'multi-task: rotation + context + jigsaw heads on one encoder (Doersch & Zisserman 2017)',
    defaults: MULTI_TASK_DEFAULTS,
    schema: MULTI_TASK_SCHEMA,
    trainerDefaults: pretextDefaults,
    create: ({ sampleShape, options, rng }) => createMultiTask(sampleShape, options, rng),
  }),
  defineMethod({
    name: 's4l',
    modality: 'vision',
    summary: 'S4L-Rotation: rotation + cross-entropy on a small labelled set (Zhai et al. 2019; needs labeledData)',
    defaults: S4L_DEFAULTS,
    schema: S4L_SCHEMA,
    trainerDefaults: pretextDefaults,
    create: ({ sampleShape, options, rng }) => new S4L(sampleShape, options, rng),
  }),

  // More contrastive methods on the two-view base (docs/methods/{nnclr,dcl,dclw,mocov3,tico,supcon}.md).
  defineMethod({
    name: 'nnclr',
    modality: 'vision',
    summary: 'NNCLR: nearest neighbour from a support queue as the positive (Dwibedi et al. 2021)',
    defaults: NNCLR_DEFAULTS,
    schema: NNCLR_SCHEMA,
    trainerDefaults,
    minBatchSize: NNCLR_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new NNCLR(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'dcl',
    modality: 'vision',
    summary: 'DCL: NT-Xent without the positive in the denominator (Yeh et al. 2022)',
    defaults: DCL_DEFAULTS,
    schema: DCL_SCHEMA,
    trainerDefaults,
    minBatchSize: DCL_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, false),
  }),
  defineMethod({
    name: 'dclw',
    modality: 'vision',
    summary: 'DCLW: DCL with von Mises-Fisher weighted positives (Yeh et al. 2022)',
    defaults: DCLW_DEFAULTS,
    schema: DCLW_SCHEMA,
    trainerDefaults,
    minBatchSize: DCL_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new DCL(sampleShape, options, rng, true),
  }),
  defineMethod({
    name: 'mocov3',
    modality: 'vision',
    summary: 'MoCo v3: predictor, momentum key encoder, in-batch negatives (Chen, Xie & He 2021)',
    defaults: MOCOV3_DEFAULTS,
    schema: MOCOV3_SCHEMA,
    trainerDefaults,
    minBatchSize: MOCOV3_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new MoCoV3(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'tico',
    modality: 'vision',
    summary: 'TiCo: invariance + contrast with a running covariance (Zhu et al. 2022)',
    defaults: TICO_DEFAULTS,
    schema: TICO_SCHEMA,
    trainerDefaults,
    minBatchSize: TICO_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new TiCo(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'supcon',
    modality: 'vision',
    summary: 'SupCon: supervised contrastive, a labelled reference (Khosla et al. 2020; needs labeledData)',
    defaults: SUPCON_DEFAULTS,
    schema: SUPCON_SCHEMA,
    trainerDefaults,
    minBatchSize: SUPCON_MIN_BATCH,
    create: ({ sampleShape, options, rng }) => new SupCon(sampleShape, options, rng),
  }),
  defineMethod({
    name: 'data2vec',
    modality: 'vision',
    summary: "data2vec: regress an EMA teacher's layer-normed feature map at MAE-masked squares (Baevski et al. 2022)",
    defaults: DATA2VEC_VISION_DEFAULTS,
    schema: DATA2VEC_VISION_SCHEMA,
    trainerDefaults,
    create: ({ sampleShape, options, rng }) => new Data2VecVision(sampleShape, options, rng),
  }),
]);
