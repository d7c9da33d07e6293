export * from './abstract-state-svg.js';
export * from './crar.js';
export * from './grid-world.js';
export * from './least-squares-r2.js';
export * from './train-crar.js';
export * from './transition-dataset.js';
