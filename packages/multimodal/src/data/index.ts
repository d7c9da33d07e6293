export {
  allDescriptions,
  describeClass,
  FASHION_MNIST_NAMES,
  loadFashionImages,
  TEST_TEMPLATES,
  TRAIN_TEMPLATES,
} from './class-descriptions.js';
export {
  DIGIT_WORDS,
  type DigitAudioOptions,
  disposePairs,
  idxFile,
  type LabelledTensor,
  loadDigitAudioPairs,
  loadIdxImages,
  type PairedSplits,
} from './spoken-digit-pairs.js';
export { type PairedBatch, PairedDataset, type PartnerRows } from './paired-dataset.js';
