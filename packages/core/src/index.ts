/**
 * @autodidact/core: tensor backend selection, objectives, the two-stage trainer,
 * evaluation (linear probe, kNN), collapse diagnostics and checkpoints.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus the
 * Node-only parts: checkpoints and saved encoders on disk, file walking, streaming from files,
 * data-set fetching, reports, export to files and the CLI's modality loading.
 */
export * from './portable.js';
export * from './data/node/index.js';
export * from './checkpoint/index.js';
export { loadSavedEncoder, type SavedEncoderMeta, saveEncoder } from './methods/saved-encoder.js';
export * from './io/index.js';
export type { LoaderOptionSpec, LoadOptions, MethodSpec, Modality, ModalityCommand } from './cli/modality.js';
export { KNOWN_MODALITIES, loadModality } from './cli/load-modality.js';
export { restoreEncoder } from './cli/restore-encoder.js';
export {
  EXPERIMENT_HINTS,
  type ExperimentArgs,
  type ExperimentCommandSpec,
  integerOption,
  parseExperimentArgs,
  writeExperimentOutputs,
} from './cli/experiment-command.js';
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
