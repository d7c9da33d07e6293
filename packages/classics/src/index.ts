/**
 * @autodidact/classics: classic self-supervised experiments. Becker & Hinton's IMAX modules that
 * discover depth in random-dot stereograms, and CRAR's abstract states of a pixel maze learned
 * from a transition model, a reward model and representation terms.
 *
 * @packageDocumentation
 * @module @autodidact/classics
 */
export {
  abstractStateSvg,
  type AbstractStateSvgOptions,
  type CrarOptions,
  type CrarLosses,
  Crar,
  type Cell,
  ACTIONS,
  DEFAULT_MAZE,
  VALIDATION_MAZE,
  type Transitions,
  GridWorld,
  leastSquaresR2,
  leastSquaresHeldOutR2,
  probeHalf,
  trainCrar,
  type TrainCrarOptions,
  type CrarResult,
  type TransitionBatch,
  TransitionDataset,
} from './crar/index.js';
export {
  pearson,
  trainBeckerHinton,
  heldOutStereograms,
  HELD_OUT_SEED_OFFSET,
  type BeckerHintonOptions,
  BeckerHinton,
  type TrainBeckerHintonOptions,
  type BeckerHintonResult,
} from './imax/index.js';
export { imaxInformation, imax, type ImaxOptions, type ImaxInputs } from './objectives/index.js';
export {
  type PatchPair,
  randomDotStereograms,
  StereogramDataset,
  type StereogramOptions,
  type Stereograms,
} from './stereograms/index.js';
