/**
 * @autodidact/core: tensor backend selection, objectives, the two-stage trainer,
 * evaluation (linear probe, kNN), collapse diagnostics and checkpoints.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus the
 * Node-only parts: checkpoints and saved encoders on disk, file walking, streaming from files,
 * data-set fetching, reports, export to files and the CLI's modality loading.
 */
// Everything every platform gets, listed by name in portable.ts.
export * from './portable.js';
export {
  type DefaultDataSet,
  type DefaultDataSource,
  defaultDataPaths,
  defineModality,
  type ModalityDefinitionInput,
} from './modality/define-modality.js';
export { loadSavedEncoder, type SavedEncoderMeta, saveEncoder } from './methods/saved-encoder.js';
export type { LoaderOptionSpec, LoadOptions, Modality, ModalityCommand } from './cli/modality.js';
export { loadModality } from './cli/load-modality.js';
export {
  EXPERIMENT_HINTS,
  type ExperimentArgs,
  type ExperimentCommandSpec,
  integerOption,
  parseExperimentArgs,
  runExperimentMain,
  writeExperimentOutputs,
} from './cli/experiment-command.js';
export {
  DATA_SETS,
  DEFAULT_DATA_SETS,
  type DataSetRecipe,
  dataDir,
  type FetchOptions,
  type FetchReport,
  fetchDataSets,
  MissingDataError,
} from './data-sets/index.js';
export { cacheDirFor, cacheRoot, ensurePrivateDir } from './data/node/cache-dir.js';
export {
  FileIndex,
  type FileIndexOptions,
  type FileIndexReport,
  listFiles,
  openFileIndex,
  type StalePolicy,
} from './data/node/file-index.js';
export { type Float32FilesConfig, indexFloat32Files } from './data/node/float32-files-reader.js';
export { type OpenDatasetOptions, openDataset } from './data/node/open-dataset.js';
export { noFilesError, openableFiles } from './data/node/openable-files.js';
export {
  type FolderDatasetOptions,
  type IndexedFolder,
  type LabelledFiles,
  labelsByPath,
  openFolderDataset,
} from './data/node/open-folder-dataset.js';
export { defaultWorkerCount, WorkerBatchLoader, type WorkerPoolOptions } from './data/node/worker-pool.js';
export {
  type LoadedCheckpoint,
  loadCheckpoint,
  loadLatestGoodCheckpoint,
  type SkippedCheckpoint,
  writeFileAtomic,
} from './checkpoint/index.js';
export type { BadFileOptions, SkippedFile } from './io/bad-files.js';
export {
  checkDataFile,
  openDataFile,
  type DirEntry,
  FolderWalker,
  readDirEntries,
  unreadableFileError,
  type WalkOptions,
  walkFiles,
} from './io/walk-files.js';
export { badFilesFor, loadLog } from './io/load-log.js';
export { type EmbeddingMapInput, embeddingMapSvg } from './report/embedding-map.js';
export { embeddingSample } from './report/embedding-sample.js';
export {
  REPORT_FILE,
  type ReportProbe,
  type RunReport,
  renderHtmlReport,
  writeHtmlReport,
} from './report/html-report.js';
export { MetricsLog, type MetricsLogOptions, readMetricsLog } from './report/metrics-log.js';
export type { MetricsRow } from './report/metrics-row.js';
export {
  type EmbeddingSample,
  type RunFigures,
  type RunFiguresOptions,
  renderRunFigures,
  writePlots,
} from './report/plots.js';
export { renderVegaLite, type VegaLiteSpec } from './report/render-vega-lite.js';
export { type TrainingCurve, type TrainingCurvesOptions, trainingCurves } from './report/training-curves.js';
export type { ExportResult } from './export/export-result.js';
export { fileLoadHandler, fileSaveHandler, type LayersFileNames } from './export/file-io-handler.js';
export { exportTfjsLayers, type TfjsExportOptions } from './export/tfjs-layers.js';
export { exportOnnx } from './export/onnx.js';
