/**
 * MoCo (He, Fan, Wu, Xie & Girshick 2020, "Momentum Contrast for Unsupervised Visual
 * Representation Learning", CVPR; v2 changes from Chen, Fan, Girshick & He 2020: an MLP
 * projection head, stronger augmentation, temperature 0.2). A query network (encoder +
 * projector) is trained by InfoNCE (eq. 1) to match the key of the other view, computed by a
 * momentum encoder (eq. 2, an EMA of the query network), against a queue of keys of earlier
 * batches as negatives. The loss is symmetrised over the two views (as MoCo v3).
 *
 * The queue `[queueSize, projectionDim]` and its write position are non-trainable variables
 * listed in `stateVariables()`, so a resumed run continues with the same negatives.
 *
 * Shuffling BN (sec. 3.3): with batch norm, keys and queries of one batch share batch
 * statistics, a cue that tells the positive key from the queue's keys of other batches.
 * MoCo computes keys on a shuffled batch split over GPUs; here the batch is split into
 * `shuffleGroups` groups with their own statistics, and the key network sees the groups of a
 * random permutation, so a query's group and its key's group hold different images.
 */
import {
  infoNCE,
  l2NormalizeRows,
  type LossOutput,
  type MlpHead,
  type NetEncoder,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  stopGradient,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { queueSizeOption, SupportQueue } from './support-queue.js';
import { HEAD_BATCH_NORM, MomentumTarget, splitViews, TWO_VIEW_OPTIONS, TwoViewMethod } from './two-views.js';
import { baseMomentumOption, headWidths, visionMethod } from './view-options.js';

/** MoCo's options: type, bounds, meaning and default of each (docs/methods/moco.md). */
export const MOCO_OPTIONS = {
  ...TWO_VIEW_OPTIONS,
  ...headWidths(256, 64, 'Projector hidden width.', 'Key/query width.'),
  queueSize: queueSizeOption("Number of negative keys kept (the paper's 65,536 is for ImageNet; 16 batches here)."),
  temperature: { type: 'number', default: 0.2, above: 0, description: "InfoNCE temperature (MoCo v2's 0.2)." },
  baseMomentum: baseMomentumOption(
    0.99,
    'Momentum of the key network at step 0 (raised to 1 on a cosine schedule; MoCo v1/v2 keep 0.999 constant).',
  ),
  shuffleGroups: {
    type: 'integer',
    default: 2,
    min: 1,
    description: 'Batch-norm groups for shuffling BN (1 turns it off).',
  },
} satisfies OptionTable;
/** Options of {@link MoCo}. */
export type MoCoOptions = OptionsOf<typeof MOCO_OPTIONS>;

/** `--method moco`. */
export const MOCO_METHOD = visionMethod({
  name: 'moco',
  summary: 'MoCo v2: momentum key encoder and a queue of negatives (He et al. 2020; Chen et al. 2020)',
  options: MOCO_OPTIONS,
  minBatchSize: HEAD_BATCH_NORM,
  create: ({ sampleShape, options, rng }) => new MoCo(sampleShape, options, rng),
});

/** MoCo: momentum key network and a queue of negative keys. */
export class MoCo extends TwoViewMethod<MoCoOptions> {
  /** The key network: encoder and projector, moved by EMA only (checkpointed under `key/`). */
  readonly keys: MomentumTarget;
  /** The queue of negative keys (checkpointed as `queue/keys`, `queue/pointer`). */
  private readonly keyQueue: SupportQueue;
  private readonly objective;
  /** Keys of the last batch `[N, d]` (view 1's), enqueued after the optimizer step. */
  private readonly lastKeys = this.addCarry<tf.Tensor2D>();

  constructor(sampleShape: number[], options: Partial<MoCoOptions>, rng: Rng) {
    super(MOCO_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.keys = this.addKept(new MomentumTarget(this, o, sampleShape, rng, 'key/'));
    this.objective = infoNCE({ temperature: o.temperature });
    this.keyQueue = this.addKept(new SupportQueue(o.queueSize, o.projectionDim, rng, 'queue/', 'keys'));
  }

  /** Negative keys, L2-normalised rows `[queueSize, projectionDim]`. */
  get queue(): tf.Variable {
    return this.keyQueue.rows;
  }

  /** Next row of the queue to overwrite (scalar, float32: exact up to 2^24). */
  get queuePointer(): tf.Variable {
    return this.keyQueue.pointer;
  }

  /** The key network's encoder. */
  get keyEncoder(): NetEncoder {
    return this.keys.encoder;
  }

  /** The key network's projector. */
  get keyProjector(): MlpHead {
    return this.keys.projector;
  }

  /** Rows of `x` through `f` in `groups` contiguous groups (each with its own BN statistics). */
  private grouped(x: tf.Tensor, groups: number, f: (part: tf.Tensor) => tf.Tensor2D): tf.Tensor2D {
    const n = x.shape[0]!;
    const g = Math.max(1, Math.min(groups, Math.floor(n / 2)));
    if (g === 1) return f(x);
    const sizes = Array.from({ length: g }, (_, i) => Math.floor((n * (i + 1)) / g) - Math.floor((n * i) / g));
    return tf.concat(tf.split(x, sizes, 0).map(f), 0);
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const x = batch as tf.Tensor4D;
    const n = x.shape[0];
    const o = this.options;
    const { global: both, local } = this.crops(x, ctx.rng); // [2N, h, w, c], [kN, s, s, c]
    const query = (part: tf.Tensor) => this.projector.apply(this.encode(part), true);
    const q = l2NormalizeRows(this.grouped(both, 2 * o.shuffleGroups, query)); // [2N, d]
    // Keys: a random permutation of the 2N images, grouped, then put back in order.
    const perm = ctx.rng.permutation(2 * n);
    const inverse = new Array<number>(2 * n);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    const key = (part: tf.Tensor) => this.keys.project(part);
    const shuffled = tf.gather(both, tf.tensor1d(perm, 'int32'));
    const kShuffled = this.grouped(shuffled, 2 * o.shuffleGroups, key);
    const k = stopGradient(l2NormalizeRows(tf.gather(kShuffled, tf.tensor1d(inverse, 'int32')) as tf.Tensor2D));
    const [q1, q2] = splitViews(q);
    const [k1, k2] = splitViews(k);
    const negatives = stopGradient(this.queue as tf.Tensor as tf.Tensor2D);
    // Local crops give queries only (grouped for batch norm as the global ones); keys and the
    // queue come from the global views, so the queue's rows stay one batch of view-1 keys.
    const localQ = local
      ? this.localParts(
          l2NormalizeRows(
            this.grouped(local, this.localCrops * o.shuffleGroups, (part) =>
              this.projector.apply(this.encodeLocal(part), true),
            ),
          ),
        )
      : [];
    this.lastKeys.set(k1.clone());
    // Mean cosine of a query to its positive key and to the queue's keys: the loss rises while
    // the queue fills with real keys (more similar to the queries than its random start), towards
    // log(queueSize + 1) if positives stop standing out; `positive` - `negative` is what learning moves.
    const metrics = tf.tidy(() => ({
      positive: tf.mean(tf.sum(tf.mul(q1, k2), 1)) as tf.Scalar,
      negative: tf.mean(tf.matMul(q1, negatives, false, true)) as tf.Scalar,
    }));
    // Each query against the other view's key; a local query against global view g's key.
    return this.crossViewMeanLoss(
      [q1, q2],
      [k1, k2],
      localQ,
      (query, positive) => this.objective.compute({ query, positive, negatives }),
      metrics,
    );
  }

  /** Momentum update of the key network, then the last keys replace the oldest in the queue. */
  afterStep(ctx: StepContext): void {
    this.keys.followSchedule(ctx);
    this.lastKeys.take((k) => this.enqueue(k));
  }

  /** Writes keys `[m, d]` at the queue pointer (wrapping around) and advances it. */
  enqueue(keys: tf.Tensor2D): void {
    this.keyQueue.push(keys);
  }
}
