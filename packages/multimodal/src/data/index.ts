export {
  allDescriptions,
  describeClass,
  FASHION_MNIST_NAMES,
  loadFashionImages,
  TEST_TEMPLATES,
  TRAIN_TEMPLATES,
  VALIDATION_TEMPLATES,
} from './class-descriptions.js';
export {
  accentOf,
  CLIP_VALIDATION_ACCENT,
  type ClipEvaluation,
  DIGIT_WORDS,
  type DigitAudioOptions,
  disposePairs,
  idxFile,
  type LabelledTensor,
  loadDigitAudioPairs,
  loadIdxImages,
  loadImageSplits,
  type PairedSplits,
  validationStart,
} from './spoken-digit-pairs.js';
export { type PairedBatch, PairedDataset, type PartnerRows } from './paired-dataset.js';
