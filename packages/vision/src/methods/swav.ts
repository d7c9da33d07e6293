/**
 * SwAV (Caron, Misra, Mairal, Goyal, Bojanowski & Joulin 2020, "Unsupervised Learning of Visual
 * Features by Contrasting Cluster Assignments", sec. 3.1-3.2, eq. 1-3; details as in the
 * authors' main_swav.py): the L2-normalised projections z of every crop are scored against K
 * L2-normalised prototypes C (s = z C^T); Sinkhorn-Knopp (3 iterations, epsilon 0.05) turns the
 * scores of the 2 global crops into equipartitioned codes q; every other crop predicts them
 * (swapped prediction, softmax(s / 0.1)), {@link swavLoss}. Multi-crop: 2 global +
 * `localCrops` local crops; codes come from the global crops only.
 *
 * As the paper: the prototypes are projected back to the unit sphere after every step, and
 * frozen (no gradient) for the first `freezePrototypesSteps` steps (main_swav.py's
 * freeze_prototypes_niters). For small batches a queue of the last `queueSize` projections of
 * each global crop joins the batch in Sinkhorn-Knopp (not in the loss), filled from step
 * `queueStartStep` on and used once full (main_swav.py's epoch_queue_starts).
 *
 * State that survives a checkpoint: the prototypes (`prototypes`), the queue (`queue/features`
 * `[2, queueSize, projectionDim]`) and how many rows of it are filled (`queue/filled`).
 */
import {
  l2NormalizeRows,
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
  stopGradient,
  swavCodes,
  swavLoss,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { CosineLayer } from './cosine-layer.js';
import { MULTI_CROP_OPTIONS, TwoViewMethod } from './two-views.js';
import { headWidths, IMAGE_METHOD_OPTIONS, visionMethod, WIDE_IMAGE_ENCODER_OPTIONS } from './view-options.js';

/** SwAV's options: type, bounds, meaning and default of each (docs/methods/swav.md). */
export const SWAV_OPTIONS = {
  ...IMAGE_METHOD_OPTIONS,
  width: WIDE_IMAGE_ENCODER_OPTIONS.width,
  ...MULTI_CROP_OPTIONS,
  ...headWidths(256, 64, 'Projector hidden width.', 'Projection width.'),
  localCrops: {
    type: 'integer',
    default: 4,
    min: 0,
    description: "Local crops per image (multi-crop; the paper's 6 at ImageNet scale).",
  },
  prototypes: {
    type: 'integer',
    default: 100,
    min: 1,
    description: "Number of prototypes K (the paper's 3000 is for ImageNet).",
  },
  temperature: { type: 'number', default: 0.1, above: 0, description: 'Softmax temperature of the predictions.' },
  epsilon: { type: 'number', default: 0.05, min: 0, description: 'Sinkhorn-Knopp entropy weight.' },
  sinkhornIterations: { type: 'integer', default: 3, min: 1, description: 'Sinkhorn-Knopp iterations.' },
  queueSize: {
    type: 'integer',
    default: 0,
    min: 0,
    description: 'Projections kept per global crop for Sinkhorn-Knopp (0: no queue).',
  },
  queueStartStep: {
    type: 'integer',
    default: 50,
    min: 0,
    description: 'First step that fills the queue (it is used once full).',
  },
  freezePrototypesSteps: {
    type: 'integer',
    default: 10,
    min: 0,
    description: 'Steps with frozen prototypes at the start.',
  },
} satisfies OptionTable;
/** Options of {@link SwAV}. */
export type SwAVOptions = OptionsOf<typeof SWAV_OPTIONS>;

/** `--method swav`. */
export const SWAV_METHOD = visionMethod({
  name: 'swav',
  summary: 'SwAV: swapped prediction of Sinkhorn-Knopp prototype codes over multi-crop (Caron et al. 2020)',
  options: SWAV_OPTIONS,
  minBatchSize: {
    size: 2,
    reason: 'Sinkhorn-Knopp spreads the images of the batch over the prototypes; one image has nothing to spread',
  },
  create: ({ sampleShape, options, rng }) => new SwAV(sampleShape, options, rng),
});

/** SwAV: prototypes, Sinkhorn-Knopp codes, swapped prediction over multi-crop. */
export class SwAV extends TwoViewMethod<SwAVOptions> {
  /** The prototypes `[projectionDim, K]`, unit columns. */
  readonly prototypes: CosineLayer;
  /** Earlier projections of the 2 global crops `[2, queueSize, d]`, newest first. */
  readonly queue: tf.Variable | undefined;
  /** Rows of the queue filled so far (scalar). */
  readonly queueFilled: tf.Variable | undefined;
  private readonly objective;
  /** L2-normalised projections of the last batch's global crops `[2, N, d]`, queued after the step. */
  private readonly lastGlobal = this.addCarry<tf.Tensor3D>();

  constructor(sampleShape: number[], options: Partial<SwAVOptions>, rng: Rng) {
    super(SWAV_METHOD, options, sampleShape, rng);
    const o = this.options;
    this.prototypes = this.addTrained(
      new CosineLayer('prototypes', o.projectionDim, o.prototypes, 'projected', rng),
      (p) => p.variables(),
    );
    this.objective = swavLoss({
      temperature: o.temperature,
      epsilon: o.epsilon,
      iterations: o.sinkhornIterations,
      assignCrops: 2,
    });
    if (o.queueSize > 0) {
      this.queue = this.addStateVariable('queue/features', () => tf.zeros([2, o.queueSize, o.projectionDim]));
      this.queueFilled = this.addStateVariable('queue/filled', () => tf.scalar(0));
    }
  }

  /** Whether the queue is full and joins Sinkhorn-Knopp. */
  queueInUse(): boolean {
    return this.queueFilled !== undefined && this.queueFilled.dataSync()[0]! >= this.options.queueSize;
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const o = this.options;
    const n = batch.shape[0]!;
    const project = (x: tf.Tensor) => l2NormalizeRows(this.projector.apply(this.encoder.apply(x, true), true));
    const { all } = this.acrossCrops(batch, ctx.rng, project); // [(2 + k)N, d]
    // Frozen prototypes: the scores carry no gradient to them (SwAV's freeze_prototypes_niters).
    const frozen = ctx.step < o.freezePrototypesSteps;
    const w = (frozen ? stopGradient(this.prototypes.weight as tf.Tensor2D) : this.prototypes.weight) as tf.Tensor2D;
    const scores = tf.reshape(tf.matMul(all, w), [-1, n, o.prototypes]) as tf.Tensor3D;
    const sinkhorn = { epsilon: o.epsilon, iterations: o.sinkhornIterations };
    const useQueue = this.queueInUse();
    const codes = tf.tidy(() =>
      tf.stack(
        [0, 1].map((i) => {
          const s = tf.reshape(tf.slice(scores, [i, 0, 0], [1, n, o.prototypes]), [n, o.prototypes]) as tf.Tensor2D;
          const queued = useQueue
            ? (tf.matMul(
                tf.reshape(tf.slice(this.queue!, [i, 0, 0], [1, -1, -1]), [o.queueSize, -1]),
                w,
              ) as tf.Tensor2D)
            : undefined;
          return swavCodes(stopGradient(s), queued && stopGradient(queued), sinkhorn);
        }),
      ),
    ) as tf.Tensor3D;
    const loss = this.objective.compute({ scores, codes });
    if (this.queue) {
      this.lastGlobal.set(
        tf.reshape(stopGradient(tf.slice(all, [0, 0], [2 * n, -1])), [2, n, o.projectionDim]) as tf.Tensor3D,
      );
    }
    // How many prototypes the codes use (argmax); a collapse to a few clusters shows here.
    const metrics = tf.tidy(() => {
      const used = tf.unique(tf.reshape(tf.argMax(codes, 2), [-1])).values.shape[0];
      return { prototypesUsed: tf.scalar(used) };
    });
    return { loss, metrics };
  }

  /** Prototypes back to the unit sphere; the last global projections enter the queue. */
  afterStep(ctx: StepContext): void {
    this.prototypes.renormalize();
    this.lastGlobal.take((last) => {
      if (!(this.queue && this.queueFilled && ctx.step >= this.options.queueStartStep)) return;
      const size = this.options.queueSize;
      const n = Math.min(last.shape[1], size);
      const incoming = tf.slice(last, [0, 0, 0], [2, n, -1]);
      // newest first: shift the queue by n rows and write the batch at the top (main_swav.py)
      this.queue.assign(tf.concat([incoming, tf.slice(this.queue, [0, 0, 0], [2, size - n, -1])], 1));
      this.queueFilled.assign(tf.scalar(Math.min(size, this.queueFilled.dataSync()[0]! + n)));
    });
  }
}
