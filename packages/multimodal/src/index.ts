/** @autodidact/multimodal: CLIP-style contrastive training of two encoders of different modalities. */
export * from './objectives/index.js';
