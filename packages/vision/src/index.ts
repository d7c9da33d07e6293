/**
 * @autodidact/vision: self-supervised learning on images. Image files (PNG/JPEG/WebP via sharp)
 * in ImageFolder layouts and IDX data (MNIST, Fashion-MNIST),
 * seeded batch augmentations, conv and MLP encoders, and the methods SimCLR, BYOL and a
 * (denoising) autoencoder. `modality` plugs the package into the `autodidact` CLI.
 */
export { type Augmentation, bernoulliMask, compose } from './augment/augmentation.js';
export { type ColorJitterOptions, colorJitter } from './augment/color-jitter.js';
export { cutout } from './augment/cutout.js';
export { gaussianNoise } from './augment/gaussian-noise.js';
export { horizontalFlip } from './augment/horizontal-flip.js';
export {
  type CropBox,
  type RandomResizedCropOptions,
  randomResizedCrop,
  sampleCropBox,
} from './augment/random-resized-crop.js';
export { defaultViewPipeline, twoViews, type ViewPipelineOptions } from './augment/views.js';
export { type ConvSmallConfig, convSmallConfig, createConvSmall } from './encoders/conv-small.js';
export { createMlp, type MlpConfig, mlpConfig } from './encoders/mlp.js';
export { createEncoder, type EncoderSpec, encoders } from './encoders/registry.js';
export { ImageDataset } from './io/image-dataset.js';
export {
  checkReadImageOptions,
  type DecodedImage,
  decodeImage,
  IMAGE_EXTENSIONS,
  type ImageFit,
  isImageFile,
  isUnsupportedImageFile,
  type ReadImageOptions,
  readImage,
  sniffImageFormat,
  toUnitFloat,
  UNSUPPORTED_IMAGE_EXTENSIONS,
} from './io/image-file.js';
export {
  type FolderLabels,
  ImageFolderDataset,
  type ImageFolderListing,
  type ImageFolderOptions,
  listImageFolder,
  loadImageFolder,
  probeImage,
  type SkippedFile,
  summarizeSkipped,
} from './io/image-folder.js';
export {
  type IdxArray,
  type LoadIdxOptions,
  labelsPathFor,
  loadIdx,
  looksLikeIdx,
  parseIdx,
  readIdx,
} from './io/idx.js';
export { AUTOENCODER_DEFAULTS, Autoencoder, type AutoencoderOptions } from './methods/autoencoder.js';
export { BYOL, BYOL_DEFAULTS, type BYOLOptions } from './methods/byol.js';
export { methods } from './methods/registry.js';
export { SIMCLR_DEFAULTS, SimCLR, type SimCLROptions } from './methods/simclr.js';
export { FOLDER_DEFAULT_SIZE, FOLDER_MAX_SIDE, folderImageShape, modality } from './modality.js';
