import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../checkpoint/write-file-atomic.js';
import { DataFormatError } from '../errors.js';
import type { StepInfo, TrainerCallback, TrainResult, TrainStartInfo } from '../trainer/callbacks.js';
import { METRICS_BASE_COLUMNS, METRICS_DIAGNOSTIC_COLUMNS, type MetricsRow, metricsRowOf } from './metrics-row.js';

/** File names of the metrics log inside its folder. */
export const METRICS_FILES = { jsonl: 'metrics.jsonl', csv: 'metrics.csv' } as const;

/** Options of {@link MetricsLog}. */
export interface MetricsLogOptions {
  /** Folder that receives metrics.jsonl and metrics.csv (created if missing); the run's `--out`. */
  dir: string;
  /** Write every N-th step (and every step with collapse diagnostics or a monitor evaluation). Default 1: every step. */
  every?: number;
}

/** One CSV field: numbers as JavaScript prints them (full precision), missing as empty. */
function csvField(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Trainer callback that logs every step to `<dir>/metrics.jsonl` and `<dir>/metrics.csv`
 * (see {@link MetricsRow} for the columns), for loading in pandas, R or a spreadsheet and
 * for the plots and HTML report. Rows are appended as steps end, so the files are usable
 * while the run goes on. A fresh run (start step 0) replaces old files; a resumed run keeps
 * the rows up to the step it resumed from and drops later ones (written after that
 * checkpoint by the interrupted process), so no step appears twice.
 *
 * The CSV has the base columns, then one `metric_<name>` column per method metric and one
 * `monitor_<name>` column per monitor scalar (in order of first appearance; the file is
 * rewritten if a new one shows up; empty on steps without it), then the `diag_*`
 * columns, always present and empty on steps without diagnostics.
 */
export class MetricsLog implements TrainerCallback {
  /** Path of the JSON-lines file. */
  readonly jsonlPath: string;
  /** Path of the CSV file. */
  readonly csvPath: string;
  private readonly every: number;
  private readonly logged: MetricsRow[] = [];
  private metricColumns: string[] = [];
  private jsonl: FileHandle | undefined;
  private csv: FileHandle | undefined;

  constructor(readonly options: MetricsLogOptions) {
    this.jsonlPath = join(options.dir, METRICS_FILES.jsonl);
    this.csvPath = join(options.dir, METRICS_FILES.csv);
    this.every = Math.max(1, Math.floor(options.every ?? 1));
  }

  /** Rows of this run so far, including those kept from before a resume. */
  get rows(): readonly MetricsRow[] {
    return this.logged;
  }

  /** CSV header columns in file order. */
  get columns(): string[] {
    return [...METRICS_BASE_COLUMNS, ...this.metricColumns, ...METRICS_DIAGNOSTIC_COLUMNS];
  }

  async onTrainStart(info: TrainStartInfo): Promise<void> {
    await this.close();
    await mkdir(this.options.dir, { recursive: true });
    this.logged.length = 0;
    this.metricColumns = [];
    if (info.startStep > 0 && existsSync(this.jsonlPath)) {
      for (const row of await readMetricsLog(this.jsonlPath, { lenient: true })) {
        if (row.step <= info.startStep) this.logged.push(row);
      }
      for (const row of this.logged) this.addMetricColumns(row);
    }
    await writeFileAtomic(this.jsonlPath, this.logged.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await this.rewriteCsv();
    this.jsonl = await open(this.jsonlPath, 'a');
    this.csv = await open(this.csvPath, 'a');
  }

  async onStepEnd(info: StepInfo): Promise<void> {
    if (!this.jsonl || !this.csv) return;
    if (info.step % this.every !== 0 && info.step !== info.totalSteps && !info.diagnostics && !info.monitor) return;
    const row = metricsRowOf(info);
    this.logged.push(row);
    await this.jsonl.write(`${JSON.stringify(row)}\n`);
    if (this.addMetricColumns(row)) {
      await this.csv.close();
      await this.rewriteCsv();
      this.csv = await open(this.csvPath, 'a');
    } else {
      await this.csv.write(this.csvLine(row));
    }
  }

  async onTrainEnd(_result: TrainResult): Promise<void> {
    await this.close();
  }

  /** Closes the files (also done at the end of training). */
  async close(): Promise<void> {
    const handles = [this.jsonl, this.csv];
    this.jsonl = undefined;
    this.csv = undefined;
    for (const h of handles) await h?.close();
  }

  /** Adds the row's new `metric_*` and `monitor_*` columns; true when there were any. */
  private addMetricColumns(row: MetricsRow): boolean {
    let added = false;
    for (const k of Object.keys(row)) {
      if ((k.startsWith('metric_') || k.startsWith('monitor_')) && !this.metricColumns.includes(k)) {
        this.metricColumns.push(k);
        added = true;
      }
    }
    return added;
  }

  private csvLine(row: MetricsRow): string {
    return `${this.columns.map((c) => csvField(row[c])).join(',')}\n`;
  }

  private async rewriteCsv(): Promise<void> {
    const header = `${this.columns.map(csvField).join(',')}\n`;
    await writeFileAtomic(this.csvPath, header + this.logged.map((r) => this.csvLine(r)).join(''));
  }
}

/**
 * Reads a metrics.jsonl file (or the one inside a run folder) back into rows. A line that
 * is not a JSON object with a numeric `step` is a DataFormatError naming the file and line,
 * unless `lenient` (then it is skipped: the last line of a killed process may be cut short).
 */
export async function readMetricsLog(path: string, options: { lenient?: boolean } = {}): Promise<MetricsRow[]> {
  const file = path.endsWith('.jsonl') ? path : join(path, METRICS_FILES.jsonl);
  const text = await readFile(file, 'utf8');
  const rows: MetricsRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = undefined;
    }
    if (row && typeof row === 'object' && typeof (row as MetricsRow).step === 'number') {
      rows.push(row as MetricsRow);
    } else if (!options.lenient) {
      throw new DataFormatError(`line ${i + 1}: expected a JSON object with a numeric 'step'`, { file });
    }
  });
  return rows;
}
