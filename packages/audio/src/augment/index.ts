export { type AudioAugmentation, composeAudio } from './augmentation.js';
export { addNoise } from './add-noise.js';
export { randomCrop } from './random-crop.js';
export { randomGain } from './random-gain.js';
export { freqMask, type MaskOptions, timeMask } from './spec-mask.js';
