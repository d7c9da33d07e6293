/**
 * @autodidact/classics: classic self-supervised experiments. Becker & Hinton's IMAX modules that
 * discover depth in random-dot stereograms, and CRAR's abstract states of a pixel maze learned
 * from a transition model, a reward model and representation terms.
 *
 * @packageDocumentation
 * @module @autodidact/classics
 */
export * from './crar/index.js';
export * from './imax/index.js';
export * from './objectives/index.js';
export * from './stereograms/index.js';
