import type { CollapseDiagnostics } from '../diagnostics/collapse-diagnostics.js';
import type { StepInfo } from '../trainer/callbacks.js';

/**
 * One training step as written to metrics.jsonl (one JSON object per line) and metrics.csv
 * (one row): flat, so `pandas.read_csv`, `pandas.read_json(lines=True)`, R's `read.csv` or a
 * spreadsheet load it without reshaping. Method metrics are `metric_<name>`; evaluations of a
 * monitor on held-out data (the kNN monitor's `monitor_knn_accuracy`) are `monitor_<name>` on
 * steps where one ran; collapse
 * diagnostics are `diag_<field>` and present only on steps where the trainer computed them
 * (empty cells in the CSV, absent keys in the JSONL). Non-finite numbers are written as
 * `null` (JSONL) or `NaN` / `Infinity` (CSV).
 */
export interface MetricsRow {
  /** Optimizer steps completed, counting this one (1-based). */
  step: number;
  /** Epoch of the step (0-based). */
  epoch: number;
  loss: number;
  lr: number;
  grad_norm: number;
  samples_per_sec: number;
  /** Seconds since this process started training (restarts at 0 after a resume). */
  elapsed_seconds: number;
  /** `metric_<name>` for each scalar the method reports, `monitor_<name>` for monitor evaluations, `diag_<field>` for collapse diagnostics. */
  [column: string]: number | null;
}

/** The fixed leading columns of every row, in file order. */
export const METRICS_BASE_COLUMNS = [
  'step',
  'epoch',
  'loss',
  'lr',
  'grad_norm',
  'samples_per_sec',
  'elapsed_seconds',
] as const;

/** Diagnostics columns (from {@link CollapseDiagnostics}), in file order. */
export const METRICS_DIAGNOSTIC_COLUMNS = [
  'diag_mean_std',
  'diag_min_std',
  'diag_std_ratio',
  'diag_min_std_ratio',
  'diag_effective_rank',
  'diag_effective_rank_ratio',
] as const;

const DIAGNOSTIC_FIELDS: readonly [string, keyof CollapseDiagnostics][] = [
  ['diag_mean_std', 'meanStd'],
  ['diag_min_std', 'minStd'],
  ['diag_std_ratio', 'stdRatio'],
  ['diag_min_std_ratio', 'minStdRatio'],
  ['diag_effective_rank', 'effectiveRank'],
  ['diag_effective_rank_ratio', 'effectiveRankRatio'],
];

/** The flat row of a trainer step. */
export function metricsRowOf(info: StepInfo): MetricsRow {
  const row: MetricsRow = {
    step: info.step,
    epoch: info.epoch,
    loss: info.loss,
    lr: info.lr,
    grad_norm: info.gradNorm,
    samples_per_sec: info.samplesPerSec,
    elapsed_seconds: info.elapsedSeconds,
  };
  for (const [k, v] of Object.entries(info.metrics)) row[`metric_${k}`] = v;
  for (const [k, v] of Object.entries(info.monitor ?? {})) row[`monitor_${k}`] = v;
  if (info.diagnostics) for (const [col, field] of DIAGNOSTIC_FIELDS) row[col] = info.diagnostics[field];
  return row;
}

/** A number column of rows, NaN where a row lacks it (or holds null). */
export function columnOf(rows: readonly MetricsRow[], column: string): number[] {
  return rows.map((r) => {
    const v = r[column];
    return typeof v === 'number' ? v : Number.NaN;
  });
}
