export { METRICS_FILES, MetricsLog, type MetricsLogOptions, readMetricsLog } from './metrics-log.js';
export {
  columnOf,
  METRICS_BASE_COLUMNS,
  METRICS_DIAGNOSTIC_COLUMNS,
  type MetricsRow,
  metricsRowOf,
} from './metrics-row.js';
