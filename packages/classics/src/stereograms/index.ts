export * from './random-dot.js';
