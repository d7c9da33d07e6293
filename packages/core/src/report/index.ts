export { type EmbeddingMapInput, embeddingMapSvg } from './embedding-map.js';
export { embeddingSample } from './embedding-sample.js';
export {
  type ColumnSummary,
  escapeHtml,
  formatNumber,
  REPORT_FILE,
  type ReportProbe,
  type RunReport,
  renderHtmlReport,
  summarizeMetrics,
  writeHtmlReport,
} from './html-report.js';
export { METRICS_FILES, MetricsLog, type MetricsLogOptions, readMetricsLog } from './metrics-log.js';
export {
  columnOf,
  METRICS_BASE_COLUMNS,
  METRICS_DIAGNOSTIC_COLUMNS,
  type MetricsRow,
  metricsRowOf,
} from './metrics-row.js';
export {
  type EmbeddingSample,
  type RunFigures,
  type RunFiguresOptions,
  renderRunFigures,
  writePlots,
} from './plots.js';
export { renderVegaLite, type VegaLiteSpec } from './render-vega-lite.js';
export {
  smoothEma,
  type TrainingCurve,
  type TrainingCurvesOptions,
  thinRows,
  trainingCurves,
} from './training-curves.js';
export { type Umap2dOptions, umap2d } from './umap-2d.js';
