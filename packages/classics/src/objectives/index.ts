export * from './imax.js';
