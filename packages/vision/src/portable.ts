/**
 * @autodidact/vision, portable part: what runs wherever tfjs runs and bundles for a browser:
 * the seeded batch augmentations and view generators, the encoders (conv-small, MLP, ResNet-18,
 * patch grids), every method and its registry, the pretext tasks, and the in-memory image
 * datasets. A bundler resolving `@autodidact/vision` under the `browser` condition gets this
 * entry; Node gets `index.ts`, which adds the Node-only parts: image files and folders (sharp,
 * the native JPEG decoder), IDX files on disk and the CLI modality. In a browser build the
 * `labeledData` option of S4L and SupCon (a file) throws; give the set with `setLabeled`.
 */
export { type Augmentation, compose } from './augment/augmentation.js';
export { type ColorJitterOptions, colorJitter } from './augment/color-jitter.js';
export { cutout } from './augment/cutout.js';
export { gaussianNoise } from './augment/gaussian-noise.js';
export { horizontalFlip } from './augment/horizontal-flip.js';
export { type RandomResizedCropOptions, randomResizedCrop } from './augment/random-resized-crop.js';
export { defaultViewPipeline, twoViews, type ViewPipelineOptions } from './augment/views.js';
export { blur, type GaussianBlurOptions, gaussianBlur } from './augment/gaussian-blur.js';
export { randomGrayscale } from './augment/grayscale.js';
export { type MultiCrop, type MultiCropOptions, multiCrop } from './augment/multi-crop.js';
export {
  type RandomRot90Options,
  type RandomRotationOptions,
  randomRot90,
  randomRotation,
  rot90,
  rotate,
} from './augment/rotation.js';
export { type SolarizeOptions, solarize } from './augment/solarize.js';
export { type ConvSmallConfig, convSmallConfig, createConvSmall } from './encoders/conv-small.js';
export { createMlp } from './encoders/mlp.js';
export { createEncoder, encoders } from './encoders/registry.js';
export { gridSize, type PatchGridConfig, PatchGridEncoder } from './encoders/patch-grid.js';
export { createResNet } from './encoders/resnet.js';
export { FittedImageDataset } from './io/fit-images.js';
export { ImageDataset } from './io/image-dataset.js';
export {
  AUTOENCODER_METHOD,
  AUTOENCODER_OPTIONS,
  Autoencoder,
  type AutoencoderOptions,
  MASKED_AUTOENCODER_METHOD,
  MASKED_AUTOENCODER_OPTIONS,
} from './methods/autoencoder.js';
export { BYOL, BYOL_METHOD, BYOL_OPTIONS, type BYOLOptions } from './methods/byol.js';
export { methods } from './methods/registry.js';
export { SIMCLR_METHOD, SIMCLR_OPTIONS, SimCLR, type SimCLROptions } from './methods/simclr.js';
export {
  BARLOW_TWINS_METHOD,
  BARLOW_TWINS_OPTIONS,
  BarlowTwins,
  type BarlowTwinsMethodOptions,
} from './methods/barlow-twins.js';
export {
  CONTEXT_METHOD,
  CONTEXT_OPTIONS,
  type ContextMethodOptions,
  ContextTask,
  createContext,
} from './methods/context.js';
export {
  DIRECTPRED_METHOD,
  DIRECTPRED_OPTIONS,
  DirectPred,
  type DirectPredMethodOptions,
} from './methods/directpred.js';
export {
  createJigsaw,
  JIGSAW_METHOD,
  JIGSAW_OPTIONS,
  type JigsawMethodOptions,
  JigsawTask,
} from './methods/jigsaw.js';
export { MOCO_METHOD, MOCO_OPTIONS, MoCo, type MoCoOptions } from './methods/moco.js';
export {
  createMultiTask,
  MULTI_TASK_METHOD,
  MULTI_TASK_OPTIONS,
  type MultiTaskOptions,
} from './methods/multi-task.js';
export { classify, PretextMethod, type PretextTask, type TaskOutput } from './methods/pretext-task.js';
export {
  createRotation,
  ROTATION_METHOD,
  ROTATION_OPTIONS,
  type RotationOptions,
  RotationTask,
} from './methods/rotation.js';
export { S4L, S4L_METHOD, S4L_OPTIONS, type S4LOptions } from './methods/s4l.js';
export { SIMSIAM_METHOD, SIMSIAM_OPTIONS, SimSiam, type SimSiamOptions } from './methods/simsiam.js';
export { VICREG_METHOD, VICREG_OPTIONS, VICReg, type VICRegMethodOptions } from './methods/vicreg.js';
export { NNCLR, NNCLR_METHOD, NNCLR_OPTIONS, type NNCLROptions } from './methods/nnclr.js';
export {
  DCL,
  DCL_METHOD,
  DCL_OPTIONS,
  DCLW_METHOD,
  DCLW_OPTIONS,
  type DCLOptions,
  type DCLWOptions,
} from './methods/dcl.js';
export { MoCoV3, MOCOV3_METHOD, MOCOV3_OPTIONS, type MoCoV3Options } from './methods/mocov3.js';
export { TiCo, TICO_METHOD, TICO_OPTIONS, type TiCoOptions } from './methods/tico.js';
export { SupCon, SUPCON_METHOD, SUPCON_OPTIONS, type SupConMethodOptions } from './methods/supcon.js';
export { StepCarry } from './methods/step-carry.js';
export {
  MULTI_CROP_OPTIONS,
  multiCropViews,
  type MultiCropViewOptions,
  stackedViews,
  TWO_VIEW_OPTIONS,
} from './methods/two-views.js';
export { CONTEXT_NEIGHBOURS, contextBatch } from './pretext/context.js';
export { jigsawBatch, maximalHammingPermutations } from './pretext/jigsaw.js';
export { rotationBatch } from './pretext/rotation.js';
