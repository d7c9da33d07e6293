/**
 * Online kNN monitor: how good the encoder's embeddings are while it trains, as lightly's
 * `KNNBenchmarkModule` and solo-learn's online kNN report it. A fixed labelled sample is split
 * once into a bank and queries; every N steps both are embedded with the current encoder
 * (inference mode, no gradient) and the queries are classified by the weighted kNN of
 * {@link knnProbe} (cosine similarity, k = 20 neighbours voting with weight exp(sim / 0.07)).
 */
import type * as tf from '@tensorflow/tfjs';
import { type AnyDataset, isStreaming } from '../data/streaming-dataset.js';
import { subsetDataset } from '../data/subset.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { EvaluateContext, TrainerCallback, TrainStartInfo } from '../trainer/callbacks.js';
import { embedDataset } from './embed-dataset.js';
import { knnProbe } from './knn-probe.js';

/** Options of {@link KnnMonitor}. */
export interface KnnMonitorOptions {
  /** Samples drawn from the labelled set (stratified by class, seeded). Default 1000. */
  size?: number;
  /** Evaluate every N steps (and at the last step); `'auto'`: see {@link monitorInterval}. Default `'auto'`. */
  every?: number | 'auto';
  /** Neighbours. Default 20. */
  k?: number;
  /** Temperature of the vote weights exp(sim / T). Default 0.07. */
  temperature?: number;
  /** Share of the sample that forms the kNN bank; the rest are the queries. Default 0.5. */
  bankFraction?: number;
  /** Seeds the choice of the sample and its split. Default 0. */
  seed?: number;
  /** Samples embedded per batch. Default 256. */
  batchSize?: number;
  /**
   * Folder that keeps the checkpoint of the best score so far (a whole trainer checkpoint,
   * verified like the others, its score in state.json under `evaluation.monitor`). Default: none.
   */
  keepBestDir?: string;
}

/** The best score reached so far and the step it was reached at. */
export interface MonitorBest {
  knnAccuracy: number;
  step: number;
  /** The checkpoint folder holding the weights of that step, with `keepBestDir`. */
  checkpoint?: string;
}

/** Most points a run's monitor curve gets when `every` is `'auto'`. */
export const AUTO_MONITOR_POINTS = 20;

/**
 * Steps between two monitor evaluations for a run of `totalSteps`: `every` itself when it is
 * a number, else max(1, floor(totalSteps / 20)), so any run draws about 20 points (150 steps:
 * every 7; 10,000: every 500).
 */
export function monitorInterval(every: number | 'auto', totalSteps: number): number {
  if (every !== 'auto') return every;
  return Math.max(1, Math.floor(totalSteps / AUTO_MONITOR_POINTS));
}

/**
 * A seeded, class-stratified sample of at most `size` of the indices of `labels`, split into a
 * bank (`bankFraction` of each class, rounded up) and queries. Each class gets its share of
 * `size` by largest remainder. Both lists are sorted (reads stay in file order).
 */
export function stratifiedMonitorSplit(
  labels: ArrayLike<number>,
  size: number,
  bankFraction: number,
  seed: number,
): { bank: number[]; queries: number[] } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  const n = Math.min(size, labels.length);
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (n * byClass.get(c)!.length) / labels.length);
  const quota = exact.map(Math.floor);
  let left = n - quota.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, j) => j).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b);
  for (const j of byRemainder) {
    if (left <= 0) break;
    quota[j]!++;
    left--;
  }
  const rng = new Rng(seed);
  const bank: number[] = [];
  const queries: number[] = [];
  classes.forEach((c, j) => {
    const chosen = rng.shuffle([...byClass.get(c)!]).slice(0, quota[j]);
    const inBank = Math.ceil(chosen.length * bankFraction);
    bank.push(...chosen.slice(0, inBank));
    queries.push(...chosen.slice(inBank));
  });
  return { bank: bank.sort((a, b) => a - b), queries: queries.sort((a, b) => a - b) };
}

/**
 * Trainer callback that reports the kNN accuracy of a fixed labelled sample every `every`
 * steps and at the last step, as `StepInfo.monitor.knn_accuracy` (logged as
 * `monitor_knn_accuracy`) beside `best_knn_accuracy`. With `keepBestDir` it writes the
 * trainer's checkpoint whenever the score beats the best so far. The best score is part of
 * every trainer checkpoint, so a resumed run keeps it. Works for any method whose `embed`
 * takes the batches of `data`.
 */
export class KnnMonitor<B> implements TrainerCallback {
  readonly stateKey = 'knnMonitor';
  /** Bank (labelled neighbours) and queries (scored), fixed for the run. */
  readonly bank: AnyDataset<B>;
  readonly queries: AnyDataset<B>;
  private readonly k: number;
  private readonly temperature: number;
  private readonly batchSize: number;
  private readonly numClasses: number;
  private readonly everyOption: number | 'auto';
  private every = 1;
  private bestSoFar: MonitorBest | undefined;

  /** @param data a labelled data set (any modality; its batches are what the method embeds); the caller closes it */
  constructor(
    readonly data: AnyDataset<B>,
    readonly options: KnnMonitorOptions = {},
  ) {
    const where = data.source ? ` in ${data.source}` : '';
    if (!data.labels) throw new ConfigError(`the kNN monitor needs labelled data; no labels${where}`);
    const size = options.size ?? 1000;
    const fraction = options.bankFraction ?? 0.5;
    this.k = options.k ?? 20;
    this.temperature = options.temperature ?? 0.07;
    this.batchSize = options.batchSize ?? 256;
    this.everyOption = options.every ?? 'auto';
    const int = (field: string, v: number, min: number) => {
      if (!Number.isInteger(v) || v < min) throw new ConfigError(`expected an integer >= ${min}, got ${v}`, { field });
    };
    int('size', size, 2);
    int('k', this.k, 1);
    int('batchSize', this.batchSize, 1);
    if (this.everyOption !== 'auto') int('every', this.everyOption, 1);
    if (!(this.temperature > 0)) {
      throw new ConfigError(`expected a positive number, got ${this.temperature}`, { field: 'temperature' });
    }
    if (!(fraction > 0 && fraction < 1)) {
      throw new ConfigError(`expected a number in (0, 1), got ${fraction}`, { field: 'bankFraction' });
    }
    const split = stratifiedMonitorSplit(data.labels, size, fraction, options.seed ?? 0);
    if (split.bank.length === 0 || split.queries.length === 0) {
      throw new ConfigError(
        `the kNN monitor needs at least one bank sample and one query; ${data.size} labelled samples${where}, ` +
          `a sample of ${size} gave ${split.bank.length} and ${split.queries.length}`,
      );
    }
    this.bank = subsetDataset(data, split.bank);
    this.queries = subsetDataset(data, split.queries);
    let maxLabel = 0;
    for (const y of data.labels) maxLabel = Math.max(maxLabel, y);
    this.numClasses = Math.max(data.classNames?.length ?? 0, maxLabel + 1);
  }

  /** The best score so far (restored on resume), or undefined before the first evaluation. */
  get best(): MonitorBest | undefined {
    return this.bestSoFar;
  }

  /** Steps between evaluations in the current run (set when training starts). */
  get interval(): number {
    return this.every;
  }

  onTrainStart(info: TrainStartInfo): void {
    if (info.resumedFromStep === undefined) this.bestSoFar = undefined; // a fresh run starts a fresh record
    this.every = monitorInterval(this.everyOption, info.totalSteps);
  }

  /** The kNN accuracy of the queries against the bank with `embed`, all tensors freed. */
  async evaluate(embed: (batch: B) => tf.Tensor2D): Promise<number> {
    const bankZ = await embedAny(embed, this.bank, this.batchSize);
    try {
      const queryZ = await embedAny(embed, this.queries, this.batchSize);
      try {
        return knnProbe({
          trainX: bankZ,
          trainY: this.bank.labels!,
          testX: queryZ,
          testY: this.queries.labels!,
          numClasses: this.numClasses,
          k: this.k,
          temperature: this.temperature,
          trainAccuracySamples: 0,
        }).accuracy;
      } finally {
        queryZ.dispose();
      }
    } finally {
      bankZ.dispose();
    }
  }

  async onEvaluate(ctx: EvaluateContext): Promise<Record<string, number> | undefined> {
    if (ctx.step % this.every !== 0 && ctx.step !== ctx.totalSteps) return undefined;
    const accuracy = await this.evaluate((b) => ctx.embed(b));
    if (this.bestSoFar === undefined || accuracy > this.bestSoFar.knnAccuracy) {
      this.bestSoFar = { knnAccuracy: accuracy, step: ctx.step };
      if (this.options.keepBestDir) {
        this.bestSoFar.checkpoint = await ctx.saveCheckpoint(this.options.keepBestDir, {
          monitor: {
            knn_accuracy: accuracy,
            step: ctx.step,
            k: this.k,
            temperature: this.temperature,
            bank: this.bank.size,
            queries: this.queries.size,
          },
        });
      }
    }
    return { knn_accuracy: accuracy, best_knn_accuracy: this.bestSoFar.knnAccuracy };
  }

  /** What the scores are comparable under: the same sample, split and kNN settings. */
  private get signature(): string {
    return JSON.stringify([this.bank.source ?? '', this.bank.size, this.queries.size, this.k, this.temperature]);
  }

  saveState(): unknown {
    return this.bestSoFar ? { best: this.bestSoFar, signature: this.signature } : {};
  }

  /** Restores the best score, unless it was measured on another sample or with other settings. */
  loadState(state: unknown): void {
    const saved = state as { best?: Partial<MonitorBest>; signature?: string } | null;
    const best = saved?.signature === this.signature ? saved.best : undefined;
    if (best && typeof best.knnAccuracy === 'number' && Number.isInteger(best.step)) {
      this.bestSoFar = {
        knnAccuracy: best.knnAccuracy,
        step: best.step!,
        ...(typeof best.checkpoint === 'string' ? { checkpoint: best.checkpoint } : {}),
      };
    }
  }
}

function embedAny<B>(embed: (batch: B) => tf.Tensor2D, data: AnyDataset<B>, batchSize: number): Promise<tf.Tensor2D> {
  return isStreaming(data)
    ? embedDataset(embed, data, batchSize)
    : Promise.resolve(embedDataset(embed, data, batchSize));
}
