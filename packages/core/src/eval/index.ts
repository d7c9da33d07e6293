export { embedDataset } from './embed-dataset.js';
export {
  type FineTuneOptions,
  type FineTuneResult,
  fineTune,
  fineTuneSettingName,
  labelFractionIndices,
} from './fine-tune.js';
export {
  type FineTuningGroupOptions,
  FineTuningTask,
  type FineTuningTaskOptions,
  type LabelledBatch,
  labelledDataset,
} from './fine-tuning-task.js';
export {
  AUTO_MONITOR_POINTS,
  KnnMonitor,
  type KnnMonitorOptions,
  type MonitorBest,
  monitorInterval,
  stratifiedMonitorSplit,
} from './knn-monitor.js';
export { type KnnProbeOptions, knnProbe } from './knn-probe.js';
export { type LinearProbeOptions, linearProbe } from './linear-probe.js';
export { accuracyOf, checkProbeData, type Labels, type ProbeData, type ProbeResult } from './probe-result.js';
export {
  batchNormStatistics,
  type ReestimateBatchNormOptions,
  type ReestimateBatchNormResult,
  reestimateBatchNorm,
} from './reestimate-batch-norm.js';
