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
  AUTOENCODER_DEFAULTS,
  Autoencoder,
  type AutoencoderOptions,
  MASKED_AUTOENCODER_DEFAULTS,
} from './methods/autoencoder.js';
export { BYOL, BYOL_DEFAULTS, type BYOLOptions } from './methods/byol.js';
export { methods } from './methods/registry.js';
export { SIMCLR_DEFAULTS, SimCLR, type SimCLROptions } from './methods/simclr.js';
export { BARLOW_TWINS_DEFAULTS, BarlowTwins, type BarlowTwinsMethodOptions } from './methods/barlow-twins.js';
export { CONTEXT_DEFAULTS, type ContextMethodOptions, ContextTask, createContext } from './methods/context.js';
export { DIRECTPRED_DEFAULTS, DirectPred, type DirectPredMethodOptions } from './methods/directpred.js';
export { createJigsaw, JIGSAW_DEFAULTS, type JigsawMethodOptions, JigsawTask } from './methods/jigsaw.js';
export { MOCO_DEFAULTS, MoCo, type MoCoOptions } from './methods/moco.js';
export { createMultiTask, MULTI_TASK_DEFAULTS, type MultiTaskOptions } from './methods/multi-task.js';
export { classify, PretextMethod, type PretextTask, type TaskOutput } from './methods/pretext-task.js';
export { createRotation, ROTATION_DEFAULTS, type RotationOptions, RotationTask } from './methods/rotation.js';
export { S4L, S4L_DEFAULTS, type S4LOptions } from './methods/s4l.js';
export { SIMSIAM_DEFAULTS, SimSiam, type SimSiamOptions } from './methods/simsiam.js';
export { VICREG_DEFAULTS, VICReg, type VICRegMethodOptions } from './methods/vicreg.js';
export { NNCLR, NNCLR_DEFAULTS, type NNCLROptions } from './methods/nnclr.js';
export { DCL, DCL_DEFAULTS, DCLW_DEFAULTS, type DCLOptions, type DCLWOptions } from './methods/dcl.js';
export { MoCoV3, MOCOV3_DEFAULTS, type MoCoV3Options } from './methods/mocov3.js';
export { TiCo, TICO_DEFAULTS, type TiCoOptions } from './methods/tico.js';
export { SupCon, SUPCON_DEFAULTS, type SupConMethodOptions } from './methods/supcon.js';
export { StepCarry } from './methods/step-carry.js';
export {
  MULTI_CROP_DEFAULTS,
  multiCropViews,
  type MultiCropViewOptions,
  stackedViews,
  TWO_VIEW_DEFAULTS,
} from './methods/two-views.js';
export { CONTEXT_NEIGHBOURS, contextBatch } from './pretext/context.js';
export { jigsawBatch, maximalHammingPermutations } from './pretext/jigsaw.js';
export { rotationBatch } from './pretext/rotation.js';
