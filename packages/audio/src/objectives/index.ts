export { binaryContrastive } from './binary-contrastive.js';
export { contrastiveAccuracy, type FutureLogitsOptions, futureLogits, sampleDistractors } from './future-logits.js';
