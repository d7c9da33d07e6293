export * from './random-dot.js';
export * from './stereogram-dataset.js';
