/**
 * Supervised contrastive learning (Khosla, Teterwak, Wang, Sarna, Tian, Isola, Maschinot, Liu &
 * Krishnan 2020, "Supervised Contrastive Learning", NeurIPS, eq. 2, L_out): SimCLR's
 * architecture (encoder, projection head, two views in one pass) with core's `supcon`
 * objective: every other view of the same class is a positive. It needs labels: it is a
 * labelled upper reference for the self-supervised methods, not one of them.
 *
 * Where the labels come from (as S4L, s4l.ts): the trainer hands a method only the images of a
 * batch, so SupCon holds its labelled set and draws each step's batch from it, as many images
 * as the trainer's batch holds, with the run's generator. Give the set with the option
 * `labeledData` (an IDX images file with its labels file beside it; `labeledCount` of its first
 * images) or with `setLabeled(images, labels)` in code. A file without labels beside it is
 * refused when the method is built; a run without any labelled set is refused at the first step.
 * The labelled set is data, not state: a resumed run must be given the same set again.
 */
import {
  ConfigError,
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  supcon,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { LabeledSet } from './labeled-set.js';
import { TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, visionMethod } from './view-options.js';

/** SupCon's options: type, bounds, meaning and default of each (docs/methods/supcon.md). */
export const SUPCON_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  temperature: { type: 'number', default: 0.1, above: 0, description: "Temperature (the paper's 0.1)." },
  ...headWidths(256, 64, 'Projection head hidden width.', 'Projection width.'),
  labeledData: {
    type: 'string',
    default: '',
    description: "IDX images file of the labelled set (its labels file beside it); '' when given by `setLabeled`.",
  },
  labeledCount: {
    type: 'integer',
    default: 0,
    min: 0,
    description: 'Use the first this many images of `labeledData` (0: all).',
  },
} satisfies OptionTable;
/** Options of {@link SupCon}. */
export type SupConMethodOptions = OptionsOf<typeof SUPCON_OPTIONS>;

/** `--method supcon`. */
export const SUPCON_METHOD = visionMethod({
  name: 'supcon',
  summary: 'SupCon: supervised contrastive, a labelled reference (Khosla et al. 2020; needs labeledData)',
  options: SUPCON_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: 'each view is contrasted with the other images of its batch; with one image there are no negatives',
  },
  create: ({ sampleShape, options, rng }) => new SupCon(sampleShape, options, rng),
});

/** SupCon: supervised contrastive loss over two views of a labelled batch. */
export class SupCon extends TwoViewMethod<SupConMethodOptions> {
  private readonly objective;
  private readonly labeled: LabeledSet;

  constructor(sampleShape: number[], options: Partial<SupConMethodOptions>, rng: Rng) {
    super(SUPCON_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.objective = supcon({ temperature: o.temperature });
    this.labeled = new LabeledSet(o.labeledData, o.labeledCount, 'supcon');
  }

  /**
   * The labelled set: images `[m, h, w, c]` (copied) and their integer labels. Replaces any
   * set given before.
   * @throws ConfigError when the counts differ or a label is not a non-negative integer.
   */
  setLabeled(images: tf.Tensor4D, labels: Int32Array): void {
    if (images.shape[0] !== labels.length || labels.length < 2) {
      throw new ConfigError(`expected one label per image (2 or more), got ${labels.length} for ${images.shape[0]}`, {
        field: 'labels',
      });
    }
    for (const l of labels) {
      if (!Number.isInteger(l) || l < 0) throw new ConfigError(`label ${l} is not a class index`, { field: 'labels' });
    }
    this.labeled.replace(images, labels);
  }

  /** Size of the labelled set (0 before one is given). */
  get labeledSize(): number {
    return this.labeled.size;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    if (this.labeled.size === 0) {
      throw new ConfigError(
        "supcon needs labels: pass the option 'labeledData' (IDX images with their labels file beside them) or call setLabeled()",
        { field: 'labeledData' },
      );
    }
    const { images: x, labels: batchLabels } = this.labeled.draw(batch.shape[0]!, ctx.rng);
    // The two views of the pair stacked `[2, N, D]` (a local crop in view 1's place).
    return this.pairLoss(x, ctx.rng, (z1, z2) =>
      this.objective.compute({ views: tf.stack([z1, z2]) as tf.Tensor3D, labels: batchLabels }),
    );
  }

  override dispose(): void {
    this.labeled.dispose();
    super.dispose();
  }
}
