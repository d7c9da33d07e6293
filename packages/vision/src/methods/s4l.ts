/**
 * S4L, self-supervised semi-supervised learning (Zhai, Oliver, Kolesnikov & Beyer 2019, "S4L:
 * Self-Supervised Semi-Supervised Learning", ICCV), in its S4L-Rotation form (sec. 3.1):
 *
 *   L = w * L_sup(labelled batch) + L_rotation(unlabelled batch)
 *
 * `L_sup` is softmax cross-entropy of a linear classifier on the encoder output (the paper's
 * w = 1 is the default), `L_rotation` is RotNet's 4-way loss (see rotation.ts).
 *
 * Where the labels come from: the trainer hands a method only `dataset.getBatch(indices)`,
 * the images, and core's Dataset/Trainer contracts are not changed for one method. As in the
 * paper, the labelled batch is drawn from its own small labelled set each step: S4L holds that
 * set itself. Give it with `setLabeled(images, labels)` in code, or with the options
 * `labeledData` (an IDX images file whose labels file sits beside it, read when the method is
 * built, so `autodidact pretrain vision --method s4l --option labeledData=...` works) and
 * `labeledCount` (how many of its first images are labelled). The labelled set is data, not
 * state: a resumed run must be given the same set again.
 */
import {
  ConfigError,
  type Net,
  NetBuilder,
  type NetEncoder,
  nn,
  seededGlorot,
  type LossOutput,
  type Method,
  mergeVariables,
  type Rng,
  type StepContext,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from '../augment/augmentation.js';
import { LabeledSet } from './labeled-set.js';
import { classify, PRETEXT_TRAINER_DEFAULTS } from './pretext-task.js';
import { RotationTask } from './rotation.js';
import {
  buildEncoder,
  buildLightViews,
  IMAGE_ENCODER_OPTIONS,
  lightViewOptions,
  visionMethod,
} from './view-options.js';

/** S4L's options: type, bounds, meaning and default of each (docs/methods/s4l.md). */
export const S4L_OPTIONS = {
  ...IMAGE_ENCODER_OPTIONS,
  hiddenDim: { type: 'integer', default: 256, min: 1, description: 'Rotation head hidden width.' },
  classes: {
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Number of classes of the labelled set (labels are 0..classes-1).',
  },
  supervisedWeight: { type: 'number', default: 1, min: 0, description: 'Weight w of the supervised loss.' },
  rotationWeight: {
    type: 'number',
    default: 1,
    min: 0,
    description: 'Weight of the rotation loss; 0 skips it (the supervised-only baseline on the same labels).',
  },
  labeledBatchSize: { type: 'integer', default: 64, min: 1, description: 'Labelled images per step.' },
  labeledData: {
    type: 'string',
    default: '',
    description: "IDX images file of the labelled set (labels beside it); '' when given by `setLabeled`.",
  },
  labeledCount: {
    type: 'integer',
    default: 1000,
    min: 0,
    description: 'Use the first this many images of `labeledData` (0: all).',
  },
  ...lightViewOptions('Light augmentation of both batches.'),
} satisfies OptionTable;
/** Options of {@link S4L}. */
export type S4LOptions = OptionsOf<typeof S4L_OPTIONS>;

/** `--method s4l`. */
export const S4L_METHOD = visionMethod({
  name: 's4l',
  summary: 'S4L-Rotation: rotation + cross-entropy on a small labelled set (Zhai et al. 2019; needs labeledData)',
  options: S4L_OPTIONS,
  trainerDefaults: PRETEXT_TRAINER_DEFAULTS,
  create: ({ sampleShape, options, rng }) => new S4L(sampleShape, options, rng),
});

/** S4L-Rotation: rotation on unlabelled images plus cross-entropy on a small labelled set. */
export class S4L implements Method<tf.Tensor> {
  readonly name = 's4l';
  readonly options: S4LOptions;
  readonly encoder: NetEncoder;
  readonly rotation: RotationTask;
  /** Linear classifier (a dense layer) on the encoder output. */
  readonly classifier: Net;
  private readonly views: Augmentation;
  private readonly labeled: LabeledSet;

  constructor(sampleShape: number[], options: Partial<S4LOptions>, rng: Rng) {
    this.options = S4L_METHOD.resolve(options);
    const o = this.options;
    this.encoder = buildEncoder(o, sampleShape, rng);
    const d = this.encoder.config.outputDim;
    this.rotation = new RotationTask(d, o, rng);
    this.views = buildLightViews(o);
    this.labeled = new LabeledSet(o.labeledData, o.labeledCount, 's4l');
    if (!(Number.isInteger(o.classes) && o.classes >= 2)) {
      throw new ConfigError(`expected an integer >= 2, got ${o.classes}`, { field: 'classes' });
    }
    const labels = this.labeled.labels;
    if (labels.length > 0 && Math.max(...labels) >= o.classes) {
      throw new ConfigError(`labels in ${o.labeledData} reach ${Math.max(...labels)}; raise 'classes'`, {
        field: 'classes',
      });
    }
    const classifier = new NetBuilder('classifier', 'classifier/', [d]);
    const dense = nn.dense({
      units: o.classes,
      kernelInitializer: seededGlorot(rng.seed()),
    });
    this.classifier = classifier.build(classifier.apply('dense', dense, classifier.input()));
  }

  /**
   * The labelled set: images `[m, h, w, c]` (copied) and their integer labels. Replaces any
   * set given before.
   * @throws ConfigError when sizes differ or a label is outside the classifier's classes.
   */
  setLabeled(images: tf.Tensor4D, labels: Int32Array): void {
    if (images.shape[0] !== labels.length || labels.length === 0) {
      throw new ConfigError(`expected one label per image, got ${labels.length} labels for ${images.shape[0]} images`, {
        field: 'labels',
      });
    }
    const units = this.options.classes;
    for (const l of labels) {
      if (!Number.isInteger(l) || l < 0 || l >= units) {
        throw new ConfigError(`label ${l} is outside 0..${units - 1}; set the option 'classes'`, { field: 'labels' });
      }
    }
    this.labeled.replace(images, labels);
  }

  /** Size of the labelled set (0 before one is given). */
  get labeledSize(): number {
    return this.labeled.size;
  }

  trainableVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.trainableVariables(),
      this.rotation.trainableVariables(),
      this.classifier.trainableVariables(),
    );
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(
      this.encoder.allVariables(),
      this.rotation.allVariables(),
      this.classifier.trainableVariables(),
    );
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    if (this.labeled.size === 0) {
      throw new ConfigError("s4l has no labelled set: pass the option 'labeledData' or call setLabeled()", {
        field: 'labeledData',
      });
    }
    const rot =
      this.options.rotationWeight > 0 ? this.rotation.run(this.encoder, batch as tf.Tensor4D, ctx.rng) : undefined;
    const drawn = this.labeled.draw(Math.min(this.options.labeledBatchSize, this.labeled.size), ctx.rng);
    const xl = this.views(drawn.images, ctx.rng);
    const logits = this.classifier.apply(this.encoder.apply(xl, true), true) as tf.Tensor2D;
    const sup = classify(logits, drawn.labels);
    const supervised = tf.mul(sup.loss, this.options.supervisedWeight) as tf.Scalar;
    if (!rot) {
      return { loss: supervised, metrics: { 'supervised/loss': sup.loss, 'supervised/accuracy': sup.accuracy } };
    }
    const loss = tf.add(tf.mul(rot.loss, this.options.rotationWeight), supervised) as tf.Scalar;
    return {
      loss,
      metrics: {
        'rotation/loss': rot.loss,
        'rotation/accuracy': rot.accuracy,
        'supervised/loss': sup.loss,
        'supervised/accuracy': sup.accuracy,
      },
    };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.rotation.dispose();
    this.classifier.dispose();
    this.labeled.dispose();
  }
}
