/**
 * @autodidact/core: tensor backend selection, objectives, the two-stage trainer,
 * evaluation (linear probe, kNN), collapse diagnostics and checkpoints.
 */
export * from './errors.js';
export { env, type AutodidactEnv } from './env.js';
export { Rng, type RngState } from './random/rng.js';
export * from './data/index.js';
export * from './data/node/index.js';
export * from './backend/index.js';
export * from './objectives/index.js';
export * from './methods/index.js';
export * from './trainer/index.js';
export * from './eval/index.js';
export * from './diagnostics/index.js';
export * from './checkpoint/index.js';
export * from './io/index.js';
export type { LoaderOptionSpec, LoadOptions, MethodSpec, Modality, ModalityCommand } from './cli/modality.js';
export { KNOWN_MODALITIES, loadModality } from './cli/load-modality.js';
export { restoreEncoder } from './cli/restore-encoder.js';
export * from './nn/index.js';
export * from './report/index.js';
export * from './export/index.js';
export {
  DATA_SETS,
  DEFAULT_DATA_SETS,
  type DataSetRecipe,
  dataDir,
  dataSetDir,
  type FetchOptions,
  type FetchReport,
  fetchCommand,
  fetchDataSets,
  isFetched,
  MissingDataError,
  requireDataSet,
} from './data-sets/index.js';
