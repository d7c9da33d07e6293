/**
 * @autodidact/core, portable part: what runs wherever tfjs runs (a browser, a web worker, Node)
 * and bundles without Node built-ins: backend selection, objectives, methods' building blocks,
 * the Trainer, in-memory and streaming datasets, probes, fine-tuning, collapse diagnostics and
 * the functional nn layers. A bundler resolving `@autodidact/core` under the `browser`
 * condition gets this entry; Node gets `index.ts`, which adds the Node-only parts.
 *
 * Not here (Node-only): checkpoints on disk (a Trainer given `checkpointDir` throws in a browser
 * build), saved encoders, file walking, streaming from files, data-set fetching, reports, the
 * tfjs/ONNX export to files and the CLI.
 */
export * from './errors.js';
export { env, type AutodidactEnv } from './env.js';
export { BadFiles } from './io/bad-files.js';
export { Rng, type RngState } from './random/rng.js';
export * from './data/index.js';
export * from './backend/index.js';
export * from './objectives/index.js';
export * from './methods/index.js';
export * from './trainer/index.js';
export * from './eval/index.js';
export * from './diagnostics/index.js';
export * from './nn/index.js';
export {
  CHECKPOINT_FILES,
  checkpointFolderName,
  parseCheckpointFolderName,
  TEMP_PREFIX,
} from './checkpoint/checkpoint-layout.js';
export { restoreVariables, withPrefix } from './checkpoint/restore-variables.js';
export { layersModelOf } from './export/layers-model-of.js';
export { encoderToOnnx, type OnnxFileExportOptions } from './export/encoder-to-onnx.js';
export {
  layersModelToOnnx,
  ONNX_OPSET,
  ONNX_SUPPORTED_LAYERS,
  type OnnxExportOptions,
} from './export/layers-to-onnx.js';
export { type Umap2dOptions, umap2d } from './report/umap-2d.js';
/** How a registry builds a method (a type only: the CLI that reads it stays Node-only). */
export type { MethodSpec } from './cli/modality.js';
