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
export { env, type AutodidactEnv } from './env.js';
export { BadFiles } from './io/bad-files.js';
export { Rng, type RngState } from './random/rng.js';
export { restoreVariables } from './checkpoint/restore-variables.js';
export { layersModelOf } from './export/layers-model-of.js';
export { type DirectPredOptions, DirectPredPredictor } from './heads/directpred-predictor.js';
export { MlpHead } from './heads/mlp-head.js';
export { encoderToOnnx, type OnnxFileExportOptions } from './export/encoder-to-onnx.js';
export {
  layersModelToOnnx,
  ONNX_OPSET,
  ONNX_SUPPORTED_LAYERS,
  type OnnxExportOptions,
} from './export/layers-to-onnx.js';
export { type Umap2dOptions, umap2d } from './report/umap-2d.js';
export type { MethodSpec } from './cli/modality.js';
export {
  AutodidactError,
  type BadFileReason,
  CheckpointError,
  ConfigError,
  DataFormatError,
  NumericalError,
  ShapeError,
} from './errors.js';
// A SampleReader module's contract; `@autodidact/core/reader` has all of it (and loads no tfjs).
export type { ReaderSpec, SampleArray, SampleLayout, SampleReader } from './data/sample-reader.js';
export { type BatchTransform, composeTransforms } from './data/batch-transform.js';
export { chooseDataMode, type DataMode, STREAM_THRESHOLD_BYTES } from './data/data-mode.js';
export { type Dataset, TensorDataset } from './data/dataset.js';
export { InlineBatchLoader } from './data/inline-batch-loader.js';
export { PrefetchQueue } from './data/prefetch-queue.js';
export { type ReadOutcome, readSamples, type SkipPolicy, type SkipRecord } from './data/read-samples.js';
export { type AssembleBatch, ReaderDataset, type ReaderDatasetOptions } from './data/reader-dataset.js';
export {
  type AnyDataset,
  type BatchLoader,
  type BatchRequest,
  batchSeed,
  closeDataset,
  isStreaming,
  type RawBatch,
  readBatch,
  type StreamingDataset,
  slotSeeds,
} from './data/streaming-dataset.js';
export {
  FAST_BACKEND_FIX,
  initBackend,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
} from './backend/index.js';
export type { Objective } from './objectives/objective.js';
export { type ReconstructionInputs, type ReconstructionOptions, reconstruction } from './objectives/reconstruction.js';
export { type InfoNCEInputs, type InfoNCEOptions, infoNCE, infoNCEFromLogits } from './objectives/info-nce.js';
export { type NTXentInputs, type NTXentOptions, ntXent } from './objectives/nt-xent.js';
export { type ByolInputs, byolLoss } from './objectives/byol-loss.js';
export { type SimSiamInputs, simsiamLoss } from './objectives/simsiam-loss.js';
export { type BarlowTwinsInputs, type BarlowTwinsOptions, barlowTwins } from './objectives/barlow-twins.js';
export { type VICRegInputs, type VICRegOptions, type VICRegTerms, vicreg, vicregTerms } from './objectives/vicreg.js';
export { softmaxCrossEntropy } from './objectives/cross-entropy.js';
export { l2NormalizeRows } from './objectives/cosine-similarity.js';
export {
  type DinoLossInputs,
  type DinoLossOptions,
  dinoCenterUpdate,
  dinoLoss,
  dinoTeacherTemperature,
} from './objectives/dino-loss.js';
export { type SinkhornKnoppOptions, sinkhornKnopp } from './objectives/sinkhorn-knopp.js';
export { type SwavLossInputs, type SwavLossOptions, swavCodes, swavLoss } from './objectives/swav-loss.js';
export { type NnclrLossInputs, type NnclrLossOptions, nearestNeighbours, nnclrLoss } from './objectives/nnclr-loss.js';
export { type DclInputs, type DclOptions, type DclwOptions, dcl, dclw } from './objectives/dcl.js';
export { type MocoV3LossInputs, type MocoV3LossOptions, mocov3Loss } from './objectives/mocov3-loss.js';
export { type TicoInputs, type TicoOptions, tico, ticoCovarianceUpdate } from './objectives/tico.js';
export { type KoleoInputs, type KoleoOptions, koleo } from './objectives/koleo.js';
export { type SupConInputs, type SupConOptions, supcon } from './objectives/supcon.js';
export {
  type Data2VecLossInputs,
  type Data2VecLossOptions,
  type Data2VecNorm,
  type Data2VecTargetOptions,
  data2vecLoss,
  data2vecTargets,
} from './objectives/data2vec-loss.js';
export type { Encoder, EncoderConfig } from './methods/encoder.js';
export type { BatchSizeMinimum } from './methods/batch-size-minimum.js';
export type { LossOutput, Method, StepContext } from './methods/method.js';
export { Registry, type Registered } from './methods/registry.js';
export { stopGradient } from './methods/stop-gradient.js';
export { cosineMomentum, emaUpdate } from './methods/ema.js';
export { assignByName } from './methods/assign-by-name.js';
export { NetEncoder } from './methods/net-encoder.js';
export {
  Net,
  NetBuilder,
  type NetBuildContext,
  type NetInitializer,
  type NetLayer,
  NetModule,
  type NetShape,
  type NetTensor,
} from './nn/net.js';
export { DelegatedVariables, ParamOwner, type VariableOwner } from './nn/variable-owner.js';
export * as nn from './nn/net-layers.js';
export { mergeVariables, prefixed } from './methods/variable-maps.js';
export {
  DATA2VEC_COMMON_OPTIONS,
  data2vecNormOption,
  Data2VecTeacher,
  type Data2VecLoss,
  type Data2VecTeacherOptions,
} from './methods/data2vec-teacher.js';
export { type Data2VecEmaVariables, Data2VecMethod } from './methods/data2vec-method.js';
export {
  checkOption,
  describeOptionType,
  type OptionEntry,
  optionDefaults,
  type OptionSchema,
  optionSchema,
  type OptionSpec,
  type OptionsOf,
  type OptionTable,
  type OptionType,
  optionValueOk,
  resolveOptions,
} from './methods/option-schema.js';
export {
  adamWarmupCosineDefaults,
  type DefinedMethod,
  defineMethod,
  type MethodDefinition,
  type MethodDefinitionInput,
  methodDefiner,
  type ModalityMethodInput,
  methodRegistry,
} from './methods/define-method.js';
export {
  checkParamGroups,
  DataOrder,
  diagnosticsInterval,
  type EpochInfo,
  type EvaluateContext,
  type ExperimentRunOptions,
  LARS_DEFAULT_EXCLUDE,
  loadStreamedBatch,
  type Optimizer,
  type OptimizerOptions,
  type ParamGroupOptions,
  type ParamGroupSettings,
  type ParamSelector,
  type ProgressOptions,
  ProgressReporter,
  type ProgressStream,
  type ResolvedParamGroup,
  type ResolvedTrainerOptions,
  resolveParamGroups,
  resolveTrainerOptions,
  runExperiment,
  type ScheduleOptions,
  type SettingHints,
  type StepInfo,
  Trainer,
  type TrainerCallback,
  type TrainerOptions,
  type TrainResult,
  type TrainStartInfo,
} from './trainer/index.js';
export {
  embedDataset,
  fineTune,
  type FineTuneOptions,
  type FineTuneResult,
  fineTuneSettingName,
  type FineTuningGroupOptions,
  FineTuningTask,
  type FineTuningTaskOptions,
  KnnMonitor,
  type KnnMonitorOptions,
  knnProbe,
  type KnnProbeOptions,
  labelFractionIndices,
  type LabelledBatch,
  labelledDataset,
  type Labels,
  linearProbe,
  type LinearProbeOptions,
  type MonitorBest,
  monitorInterval,
  type ProbeData,
  type ProbeResult,
  reestimateBatchNorm,
  type ReestimateBatchNormOptions,
  type ReestimateBatchNormResult,
} from './eval/index.js';
export { alignment } from './diagnostics/alignment.js';
export { type CollapseDiagnostics, collapseDiagnostics } from './diagnostics/collapse-diagnostics.js';
export { uniformity } from './diagnostics/uniformity.js';
export { type Activation, activate } from './nn/activations.js';
export { type BatchNormTrainingResult, batchNormTraining } from './nn/batch-norm.js';
export { seededGlorot, seededHe } from './nn/net-layers.js';
export { initLayerNorm, layerNorm } from './nn/layer-norm.js';
export { initLinear, linear } from './nn/linear.js';
export { type AttentionOptions, multiHeadAttention } from './nn/multi-head-attention.js';
export {
  type AdoptParamOptions,
  adoptParam,
  createParam,
  disposeParams,
  getParam,
  type ParamInit,
  type ParamMap,
} from './nn/params.js';
export { addPositions, type PositionKind } from './nn/positional-embedding.js';
export { initTokenEmbedding, tokenEmbedding } from './nn/token-embedding.js';
export { initTransformer, type TransformerConfig, transformer, transformerBlockOutputs } from './nn/transformer.js';
