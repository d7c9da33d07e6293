export { binaryContrastive } from './binary-contrastive.js';
export { codebookDiversity } from './codebook-diversity.js';
export { contrastiveAccuracy, type FutureLogitsOptions, futureLogits, sampleDistractors } from './future-logits.js';
export { maskedLogits, sampleMaskedDistractors } from './masked-logits.js';
