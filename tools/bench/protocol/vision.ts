/**
 * What every vision results bench needs beyond the shared protocol (docs/protocol.md), so no
 * bench keeps its own copy:
 * - `buildVisionMethod`: a registered method built with its options and seed, given its labelled
 *   set when it holds one (`setLabeled`: S4L, semi-supervised, gets the first `semiSupervised`
 *   training labels; any other labelled method, SupCon the labelled reference, the probe's
 *   `reference` labels, the ones the supervised row trains on); `labelsOnly`: the options of a
 *   semi-supervised method's reference on its labels alone (S4L without its rotation loss);
 * - `encoderKind`: a row name for an encoder config (`conv-small`, or `conv-small, 4x4 grid of
 *   7 px tiles` for the patch grid that context prediction and jigsaw embed with);
 * - `RandomInitBaselines`: the random-init baselines (as built, batch norm re-estimated; core's
 *   reestimateBatchNorm through `probeRandomInit`) of every encoder config a method embeds with,
 *   keyed by the config, so each method is held to the re-estimated random init of its own encoder.
 */
import type { Dataset, EncoderConfig, Method, TensorDataset } from '@autodidact/core';
import { Rng } from '@autodidact/core';
import { createEncoder, gridSize, methods, type PatchGridConfig, S4L_METHOD } from '@autodidact/vision';
import type * as tf from '@tensorflow/tfjs';
import { probeRandomInit } from './baselines.js';
import type { ProbeScores } from './probes.js';
import type { ScoreRow } from './table.js';

/** Image shape of the vision benches' data sets (MNIST, Fashion-MNIST). */
export const VISION_SAMPLE_SHAPE: readonly number[] = [28, 28, 1];

/** A method that holds its own labelled set (S4L, SupCon). */
export interface LabelledMethod {
  setLabeled(images: tf.Tensor4D, labels: Int32Array): void;
  readonly labeledSize: number;
}

/** Whether `method` trains on a labelled set it is given (`setLabeled`). */
export function holdsLabels(method: object): method is LabelledMethod {
  return typeof (method as Partial<LabelledMethod>).setLabeled === 'function';
}

/** Where the labelled methods' labels come from. */
export interface LabelledSets {
  /** The training split (images with labels); labelled sets are its first images. */
  train: TensorDataset;
  /** Labels a semi-supervised method (S4L) sees: the first this many training images. */
  semiSupervised: number;
  /** Labels of a labelled reference (SupCon): the probe's, the first this many training images. */
  reference: number;
}

/**
 * How many of the training split's first labels the method `name` (built as `method`) is given:
 * a semi-supervised method (one with a labels-only reference, `labelsOnly`) the `semiSupervised`
 * count, any other labelled method the probe's `reference` count; undefined when it takes none.
 */
export function labelsFor(
  name: string,
  method: object,
  sets: Pick<LabelledSets, 'semiSupervised' | 'reference'>,
): number | undefined {
  if (!holdsLabels(method)) return undefined;
  return labelsOnly(name) ? sets.semiSupervised : sets.reference;
}

/**
 * The labels-only reference of a semi-supervised method: the options that turn its
 * self-supervised part off, so it trains on the same labelled set alone (S4L: its rotation loss,
 * `rotationWeight: 0`), and what they leave out; undefined for every other method. A
 * semi-supervised method is judged against this reference on the same labels, encoder and budget.
 */
export function labelsOnly(name: string): { options: Record<string, unknown>; without: string } | undefined {
  return methods.get(name) === S4L_METHOD ? { options: { rotationWeight: 0 }, without: 'rotation' } : undefined;
}

/**
 * Builds the registered vision method `name` with `options` from `Rng(seed)`, and gives it its
 * labelled set when it holds one (`labelsFor`). `labels` is the number of labels it was given.
 */
export function buildVisionMethod(
  name: string,
  options: Record<string, unknown>,
  seed: number,
  sets: LabelledSets,
  sampleShape: readonly number[] = VISION_SAMPLE_SHAPE,
): { method: Method<tf.Tensor>; labels?: number } {
  const method = methods.get(name).create({ sampleShape: [...sampleShape], options, rng: new Rng(seed) });
  const labels = labelsFor(name, method, sets);
  if (labels === undefined || !holdsLabels(method)) return { method };
  if (!sets.train.labels) {
    method.dispose();
    throw new Error(`${name} needs labels: the training split has none`);
  }
  const x = sets.train.inputs.slice(0, labels) as tf.Tensor4D;
  try {
    method.setLabeled(x, sets.train.labels.slice(0, labels));
  } catch (e) {
    method.dispose();
    throw e;
  } finally {
    x.dispose();
  }
  return { method, labels };
}

/** Names an encoder config for a row: its kind, and for a patch grid its inner kind and tiling. */
export function encoderKind(config: EncoderConfig): string {
  if (config.kind !== 'patch-grid') return config.kind;
  const grid = config as PatchGridConfig;
  const [rows, cols] = gridSize(grid.inputShape[0]!, grid.inputShape[1]!, grid.patch);
  return `${grid.inner.kind}, ${rows}x${cols} grid of ${grid.patch} px tiles`;
}

/** The two random-init rows of one encoder config. */
export interface RandomInitRows<R extends ScoreRow> {
  readonly config: EncoderConfig;
  /** `encoderKind(config)`. */
  readonly kind: string;
  /** As built (batch-norm running statistics 0 / 1). */
  readonly asIs: R;
  /** Batch-norm statistics re-estimated on the training split (the as-built scores without batch norm). */
  readonly reestimated: R;
  /** Seeds probed so far, in order. */
  readonly seeds: number[];
}

/** One probe of a random-init encoder, as the bench probes its methods. */
export type RandomInitProbe<R extends ScoreRow> = (
  encoder: ReturnType<typeof createEncoder>,
  at: {
    variant: 'as built' | 'batch norm re-estimated';
    seed: number;
    rows: RandomInitRows<R>;
    /** The row the scores go into. */
    row: R;
  },
) => Promise<ProbeScores>;

/**
 * The random-init baselines of every encoder config asked for, keyed by the config: per seed a
 * fresh `createEncoder(config, Rng(seed + 1000))`, probed as built and with its batch-norm
 * statistics re-estimated on `train` (probeRandomInit). Asking again for a config and seed
 * returns the rows already probed.
 */
export class RandomInitBaselines<R extends ScoreRow = ScoreRow> {
  private readonly byConfig = new Map<string, RandomInitRows<R>>();

  /**
   * @param newRows the two rows of a config not seen before (named by the bench).
   * @param probe scores one random-init encoder (the bench's probes and test-read labels).
   */
  constructor(
    private readonly train: Dataset<tf.Tensor>,
    private readonly newRows: (kind: string, config: EncoderConfig) => { asIs: R; reestimated: R },
    private readonly probe: RandomInitProbe<R>,
  ) {}

  /** The rows of `config`, if any seed of it was probed. */
  get(config: EncoderConfig): RandomInitRows<R> | undefined {
    return this.byConfig.get(configKey(config));
  }

  /** Every config's rows, in the order first asked for. */
  all(): RandomInitRows<R>[] {
    return [...this.byConfig.values()];
  }

  /**
   * The rows of `config` with every seed of `seeds` probed (in order; seeds probed before are
   * not probed again). `added` is true when the config was not asked for before.
   */
  async of(config: EncoderConfig, seeds: readonly number[]): Promise<{ rows: RandomInitRows<R>; added: boolean }> {
    const key = configKey(config);
    let rows = this.byConfig.get(key);
    const added = !rows;
    if (!rows) {
      const kind = encoderKind(config);
      rows = { config, kind, ...this.newRows(kind, config), seeds: [] };
      this.byConfig.set(key, rows);
    }
    for (const seed of seeds) {
      if (rows.seeds.includes(seed)) continue;
      const encoder = createEncoder(config, new Rng(seed + 1000));
      try {
        const probed = rows;
        const r = await probeRandomInit(encoder, this.train, (e, variant) =>
          this.probe(e, {
            variant,
            seed,
            rows: probed,
            row: variant === 'as built' ? probed.asIs : probed.reestimated,
          }),
        );
        rows.asIs.scores.push(r.asIs);
        rows.reestimated.scores.push(r.reestimated ?? r.asIs);
        rows.seeds.push(seed);
      } finally {
        encoder.dispose();
      }
    }
    return { rows, added };
  }
}

/** The key of an encoder config: equal configs build the same architecture. */
export function configKey(config: EncoderConfig): string {
  return JSON.stringify(config);
}
