export { cropPatches, type PatchBox } from './crop-patches.js';
export {
  CONTEXT_NEIGHBOURS,
  type ContextBatch,
  type ContextOptions,
  type ContextPair,
  contextBatch,
  resolveContextOptions,
  sampleContextPair,
} from './context.js';
export {
  hammingDistance,
  type JigsawBatch,
  type JigsawOptions,
  jigsawBatch,
  maximalHammingPermutations,
  resolveJigsawOptions,
} from './jigsaw.js';
export { type RotationBatch, rotate90, rotationBatch } from './rotation.js';
