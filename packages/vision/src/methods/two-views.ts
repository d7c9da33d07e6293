/**
 * What the two-view methods (SimCLR, MoCo, BYOL, SimSiam, DirectPred, Barlow Twins, VICReg,
 * NNCLR, DCL, DCLW, MoCo v3, TiCo, SupCon) share: an encoder and a projection head
 * (`projector/`, VICReg's `expander/`), a view pipeline, one encoder pass over both views
 * stacked, and for the momentum methods a gradient-free copy of encoder and head that follows
 * the online pair by EMA ({@link MomentumTarget}). Each method keeps its own objective, extra
 * modules and `computeLoss`, composed from the base's pieces: `pairLoss` (an objective on the
 * two views as given), `predictCrops` (a predictor on the online side; `addPredictor` builds
 * the MLP one), `crossViewMeanLoss` (each view's online output against the other view's
 * target, averaged), `bothDirectionsLoss` (an objective that takes both directions at once),
 * `addTrained` / `addKept` (the modules besides encoder and head, trained or only
 * checkpointed), `addStateVariable` (the method's own non-trainable variables: a running
 * statistic, a queue) and `addCarry` (a tensor from the loss to `afterStep`, {@link StepCarry}).
 *
 * Two options every two-view method takes on this base:
 *
 * KoLeo (`koleo`, weight, 0: off): `+ koleo * (KoLeo(h1) + KoLeo(h2))` on the encoder outputs
 * of the two global views ({@link TwoViewMethod.withKoleo}).
 *
 * Multi-crop (`localCrops` k, 0: off; `localScale`, `localSize` as DINO and SwAV; SwAV, Caron
 * et al. 2020, sec. 3.2): besides the two global views v1, v2 of each image (the pair the
 * method always used), k local crops l_1..l_k (small random resized crops, one more encoder and
 * head pass over the kN of them). Each local crop is paired with each global view, and the loss
 * is the mean over the 1 + 2k pairs:
 *
 *   L = ( L(v1, v2) + sum_{j=1..k} sum_{g=1,2} L(l_j, v_g) ) / (1 + 2k)
 *
 * L(v1, v2) is the method's loss exactly as without local crops. L(l, g) is the same loss with
 * the local crop in view 1's place and the global view in view 2's (SimCLR, DCL, DCLW, SupCon:
 * the pair's contrastive loss, negatives from the batch; Barlow Twins, VICReg: the pair's
 * correlation / variance-invariance-covariance terms; TiCo: the local crop as z1 against the
 * running covariance). Where the method has an online (prediction, query) side and a target
 * side (SimSiam, BYOL, DirectPred, MoCo, MoCo v3, NNCLR), the local crop takes the online side
 * of both of the loss's directions and the global view the target side, so targets, keys,
 * neighbours, queues and momentum networks see global views only (as SwAV's codes and DINO's
 * teacher). With k = 0 the loss is bit-identical to the method without the option; KoLeo stays
 * on the two global views.
 */
import {
  adoptParam,
  ConfigError,
  cosineMomentum,
  disposeParams,
  emaUpdate,
  koleo,
  type NetEncoder,
  type LossOutput,
  type Method,
  MlpHead,
  mergeVariables,
  type ParamMap,
  prefixed,
  type Rng,
  type StepContext,
  type BatchSizeMinimum,
  type DefinedMethod,
  optionDefaults,
  type OptionsOf,
  type OptionTable,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { type Augmentation, compose } from '../augment/augmentation.js';
import { colorJitter } from '../augment/color-jitter.js';
import { cutout } from '../augment/cutout.js';
import { gaussianNoise } from '../augment/gaussian-noise.js';
import { horizontalFlip } from '../augment/horizontal-flip.js';
import { multiCrop } from '../augment/multi-crop.js';
import { StepCarry } from './step-carry.js';
import {
  buildEncoder,
  buildViews,
  cropScaleOption,
  WIDE_IMAGE_ENCODER_OPTIONS,
  IMAGE_METHOD_OPTIONS,
  type ImageMethodOptions,
} from './view-options.js';

/**
 * Multi-crop options (SwAV, Caron et al. 2020, sec. 3.2; DINO): besides the two global views,
 * `localCrops` small crops of each image. 0 keeps the two-view behaviour.
 */
export const MULTI_CROP_OPTIONS = {
  localCrops: {
    type: 'integer',
    default: 0,
    min: 0,
    description: 'Number of local crops per image (0: two views only).',
  },
  localScale: cropScaleOption([0.1, 0.4], 'Area range of the local crops.'),
  /**
   * 0: 3/7 of the input side (SwAV's 96 of 224, 12 px for 28 px) for convolutional encoders, the
   * input side for the `mlp` encoder (fixed input size).
   */
  localSize: { type: 'integer', default: 0, min: 0, description: 'Side in pixels of the local crops.' },
} satisfies OptionTable;

/**
 * Options every two-view method shares: the image options, multi-crop
 * ({@link MULTI_CROP_OPTIONS}, off: `localCrops` 0) and `koleo`, the weight of the KoLeo
 * regulariser (Sablayrolles et al. 2019, as DINOv2 adds it: core's `koleo` on each view's
 * encoder outputs, summed over the two views). 0, the default, leaves a method's loss as it was.
 */
export const TWO_VIEW_OPTIONS = {
  ...IMAGE_METHOD_OPTIONS,
  width: WIDE_IMAGE_ENCODER_OPTIONS.width,
  ...MULTI_CROP_OPTIONS,
  koleo: {
    type: 'number',
    default: 0,
    min: 0,
    description: 'Weight of the KoLeo regulariser on the encoder outputs (DINOv2 uses 0.1; 0: off).',
  },
} satisfies OptionTable;

/**
 * Why a method whose projection heads hold batch norm needs two images a batch: the smallest
 * batch of the two-view methods that say no more.
 */
export const HEAD_BATCH_NORM: BatchSizeMinimum = {
  size: 2,
  reason: 'its projection heads normalise over the images of the batch (batch norm)',
};

/**
 * Two augmented views of a batch stacked into one tensor `[2N, h, w, c]` (view 1 rows first),
 * so one encoder pass sees both views and batch-norm statistics span all 2N images.
 */
export function stackedViews(batch: tf.Tensor, views: Augmentation, rng: Rng): tf.Tensor4D {
  const x = batch as tf.Tensor4D;
  return tf.tidy(() => tf.concat([views(x, rng), views(x, rng)], 0));
}

/** Splits `[2N, d]` rows back into the two views' `[N, d]` halves. */
export function splitViews(z: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const n = z.shape[0] / 2;
  return tf.split(z, [n, n], 0) as [tf.Tensor2D, tf.Tensor2D];
}

/** Options every two-view method has: the image options and the head's widths. */
export type TwoViewOptions = ImageMethodOptions & {
  /** Head hidden width. */
  hiddenDim: number;
  /** Head output width. */
  projectionDim: number;
  /** KoLeo weight ({@link TWO_VIEW_OPTIONS}); absent or 0: off. */
  koleo?: number;
} & Partial<OptionsOf<typeof MULTI_CROP_OPTIONS>>;

/** An encoder and the projection head on it (the online pair, or its momentum copy). */
interface EncoderAndHead {
  readonly encoder: NetEncoder;
  readonly projector: MlpHead;
}

type VariableMap = Map<string, tf.Variable>;

/** Something a method owns besides encoder and head (disposed with it). */
interface Part {
  dispose(): void;
}

/** A module the optimizer trains (an `MlpHead`): its trainable and all variables by name. */
interface TrainedModule extends Part {
  trainableVariables(): VariableMap;
  allVariables(): VariableMap;
}

/** State the optimizer does not train ({@link MomentumTarget}, `SupportQueue`): its variables by name. */
interface KeptModule extends Part {
  stateVariables(): VariableMap;
}

/**
 * The encoder the options name, for `sampleShape`, then the projection head on it (`hiddenDim`,
 * `projectionDim`; variables under `headPrefix`): the online pair of a two-view method and its
 * momentum copy, drawing from `rng` in this order.
 */
function buildEncoderAndHead(o: TwoViewOptions, sampleShape: number[], rng: Rng, headPrefix: string): EncoderAndHead {
  const encoder = buildEncoder(o, sampleShape, rng);
  return { encoder, projector: new MlpHead(headPrefix, encoder.config.outputDim, o.hiddenDim, o.projectionDim, rng) };
}

const pairVariables = (p: EncoderAndHead, which: 'trainable' | 'all') =>
  which === 'trainable'
    ? mergeVariables(p.encoder.trainableVariables(), p.projector.trainableVariables())
    : mergeVariables(p.encoder.allVariables(), p.projector.allVariables());

/**
 * The base of a two-view method. Its constructor builds, in this order (the order the seeded
 * initialisers draw in): the encoder, then the head; a subclass builds its other modules after.
 */
export abstract class TwoViewMethod<O extends TwoViewOptions> implements Method<tf.Tensor>, EncoderAndHead {
  /** The method's name (its definition's). */
  readonly name: string;
  /** Smallest batch the method learns from (its definition's). */
  readonly minBatchSize?: BatchSizeMinimum;
  /** The options: those given, checked and merged over the definition's defaults. */
  readonly options: O;
  readonly encoder: NetEncoder;
  /** The projection head (variables under `headPrefix`). */
  readonly projector: MlpHead;
  protected readonly views: Augmentation;
  /** Encoder outputs of this step's training passes, kept for KoLeo (only when its weight is > 0). */
  private koleoInputs: tf.Tensor2D[] = [];
  private readonly koleoObjective = koleo();
  /** Modules and state besides encoder and head ({@link addTrained}, {@link addKept}), in order. */
  private readonly owned: { part: Part; trainable?: () => VariableMap; state: () => VariableMap }[] = [];

  constructor(
    definition: DefinedMethod<O>,
    given: Partial<O>,
    sampleShape: number[],
    rng: Rng,
    headPrefix = 'projector/',
  ) {
    this.name = definition.name;
    if (definition.minBatchSize) this.minBatchSize = definition.minBatchSize;
    const options = definition.resolve(given);
    this.options = options;
    const pair = buildEncoderAndHead(options, sampleShape, rng, headPrefix);
    this.encoder = pair.encoder;
    this.projector = pair.projector;
    this.views = buildViews(options);
    const k = options.koleo ?? 0;
    if (!(Number.isFinite(k) && k >= 0)) throw new ConfigError(`expected a weight >= 0, got ${k}`, { field: 'koleo' });
    checkMultiCrop(options);
  }

  /** Local crops per image (`localCrops`; 0: the two views only). */
  protected get localCrops(): number {
    return this.options.localCrops ?? 0;
  }

  /**
   * The crops of `batch`: the two global views stacked `[2N, h, w, c]` (the same draws as
   * {@link stackedViews}) and, when `localCrops` k > 0, the local crops `[kN, s, s, c]`.
   */
  protected crops(batch: tf.Tensor, rng: Rng): { global: tf.Tensor4D; local?: tf.Tensor4D } {
    return multiCropViews(batch, this.views, { ...optionDefaults(MULTI_CROP_OPTIONS), ...this.options }, rng);
  }

  /** Training-mode encoder outputs of local crops (not remembered for KoLeo: it stays on the global views). */
  protected encodeLocal(x: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(x, true);
  }

  /** Rows `[kN, d]` of the local crops split into the k crops' `[N, d]` (none when undefined). */
  protected localParts(z: tf.Tensor2D | undefined): tf.Tensor2D[] {
    if (!z) return [];
    const k = this.localCrops;
    return tf.split(z, k, 0) as tf.Tensor2D[];
  }

  /**
   * Head outputs of both global views stacked `[2N, D]` (one training-mode pass) and of the k
   * local crops, `[N, D]` each (one pass over all kN; none when `localCrops` is 0).
   */
  protected projectCrops(batch: tf.Tensor, rng: Rng): { z: tf.Tensor2D; locals: tf.Tensor2D[] } {
    const { global, local } = this.crops(batch, rng);
    const z = this.projector.apply(this.encode(global), true);
    return { z, locals: local ? this.localParts(this.projector.apply(this.encodeLocal(local), true)) : [] };
  }

  /**
   * `f` (a training-mode pass, e.g. to the head's output) over every crop of `batch`, rows
   * stacked `[(2 + k)N, D]` in crop order: global view 1, view 2, then the k local crops (the
   * multi-crop methods DINO and SwAV, whose objectives take all crops at once). The global crops
   * `[2N, h, w, c]` are returned for a teacher to see.
   */
  protected acrossCrops(
    batch: tf.Tensor,
    rng: Rng,
    f: (crops: tf.Tensor4D) => tf.Tensor2D,
  ): { global: tf.Tensor4D; all: tf.Tensor2D } {
    const { global, local } = this.crops(batch, rng);
    const parts = [f(global)];
    if (local) parts.push(f(local));
    return { global, all: tf.concat(parts, 0) as tf.Tensor2D };
  }

  /**
   * `out` with the local-crop pairs averaged in (the header's formula): the loss becomes
   * `(out.loss + sum_j sum_g pair(locals[j], globals[g])) / (1 + 2k)` and the mean of the 2k
   * pair losses is logged as `localPairs`. With no local crops `out` is returned as given.
   */
  protected withLocalCrops<T>(
    out: LossOutput,
    locals: T[],
    globals: [T, T],
    pair: (local: T, global: T) => tf.Scalar,
  ): LossOutput {
    if (locals.length === 0) return out;
    const terms: tf.Scalar[] = [];
    for (const l of locals) for (const g of globals) terms.push(pair(l, g));
    const sum = tf.addN(terms) as tf.Scalar;
    return {
      loss: tf.div(tf.add(out.loss, sum), 1 + terms.length) as tf.Scalar,
      metrics: { ...out.metrics, localPairs: tf.div(sum, terms.length) as tf.Scalar },
    };
  }

  /**
   * The loss of a method whose objective compares two views as given, `pair(z1, z2)` (SimCLR,
   * DCL, DCLW, SupCon, Barlow Twins, VICReg, TiCo): on the head outputs of the two global views,
   * plus each local crop paired with each global view by the same `pair(l, g)` (the header's
   * formula), plus KoLeo. `globals`, when given, is called with the two global views' head
   * outputs `[N, D]` after the global pair (for what else the method takes from them) and may
   * return metrics to log with the pair's loss.
   */
  protected pairLoss(
    batch: tf.Tensor,
    rng: Rng,
    pair: (z1: tf.Tensor2D, z2: tf.Tensor2D) => tf.Scalar,
    globals?: (z1: tf.Tensor2D, z2: tf.Tensor2D) => LossOutput['metrics'],
  ): LossOutput {
    const { z, locals } = this.projectCrops(batch, rng); // [2N, D], k x [N, D]
    const [z1, z2] = splitViews(z);
    const loss = pair(z1, z2);
    const metrics = globals?.(z1, z2);
    return this.withKoleo(this.withLocalCrops(metrics ? { loss, metrics } : { loss }, locals, [z1, z2], pair));
  }

  /**
   * For methods with a predictor on the online side (BYOL, DirectPred, MoCo v3, SimSiam, NNCLR):
   * the head outputs `z` `[2N, D]` of both global views stacked (one training-mode pass), their
   * predictions `p = predict(z)`, and the predictions of the k local crops `[N, D]` each (one
   * pass over all kN; none when `localCrops` is 0). The global crops are returned for a target
   * network to see.
   */
  protected predictCrops(
    batch: tf.Tensor,
    rng: Rng,
    predict: (z: tf.Tensor2D) => tf.Tensor2D,
  ): { global: tf.Tensor4D; z: tf.Tensor2D; p: tf.Tensor2D; locals: tf.Tensor2D[] } {
    const { global, local } = this.crops(batch, rng);
    const z = this.projector.apply(this.encode(global), true);
    const p = predict(z);
    const locals = local ? this.localParts(predict(this.projector.apply(this.encodeLocal(local), true))) : [];
    return { global, z, p, locals };
  }

  /**
   * BYOL's symmetrised loss (DirectPred's too): `pair(p1, t2) + pair(p2, t1)`, each global
   * view's prediction (`p` `[2N, D]`) against the other view's target (`t` `[2N, D]`); a local
   * crop's prediction against global view g's target stands for both directions (`2 pair(l, t_g)`,
   * the header's formula); then KoLeo.
   */
  protected predictionLoss(
    p: tf.Tensor2D,
    t: tf.Tensor2D,
    locals: tf.Tensor2D[],
    pair: (prediction: tf.Tensor2D, target: tf.Tensor2D) => tf.Scalar,
  ): LossOutput {
    const [p1, p2] = splitViews(p);
    const [t1, t2] = splitViews(t);
    const loss = tf.add(pair(p1, t2), pair(p2, t1)) as tf.Scalar;
    const out = this.withLocalCrops({ loss }, locals, [t1, t2], (pl, tg) => tf.mul(pair(pl, tg), 2) as tf.Scalar);
    return this.withKoleo(out);
  }

  /**
   * The loss of a method whose objective takes both directions at once, `both(o1, o2, t1, t2)`
   * (SimSiam's `D(p1, z2) / 2 + D(p2, z1) / 2`, MoCo v3's `ctr(q1, k2) + ctr(q2, k1)`): on the two
   * global views' online outputs (`online` `[2N, D]`) and targets (`targets` `[2N, D]`); a local
   * crop's online output fills both online places against global view g's target in both
   * target places (`both(l, l, t_g, t_g)`, the header's formula); then KoLeo.
   */
  protected bothDirectionsLoss(
    online: tf.Tensor2D,
    targets: tf.Tensor2D,
    locals: tf.Tensor2D[],
    both: (o1: tf.Tensor2D, o2: tf.Tensor2D, t1: tf.Tensor2D, t2: tf.Tensor2D) => tf.Scalar,
  ): LossOutput {
    const [o1, o2] = splitViews(online);
    const [t1, t2] = splitViews(targets);
    const out = this.withLocalCrops({ loss: both(o1, o2, t1, t2) }, locals, [t1, t2], (l, g) => both(l, l, g, g));
    return this.withKoleo(out);
  }

  /**
   * The loss of a method that scores each global view's online output (MoCo's query, NNCLR's
   * prediction) against the other view's target (a key, a neighbour) and averages the two
   * directions: `(pair(o1, t2) + pair(o2, t1)) / 2`, logged with `metrics`; a local crop's online
   * output against global view g's target stands for both directions (`pair(l, t_g)`, the
   * header's formula); then KoLeo.
   */
  protected crossViewMeanLoss(
    online: [tf.Tensor2D, tf.Tensor2D],
    targets: [tf.Tensor2D, tf.Tensor2D],
    locals: tf.Tensor2D[],
    pair: (online: tf.Tensor2D, target: tf.Tensor2D) => tf.Scalar,
    metrics?: LossOutput['metrics'],
  ): LossOutput {
    const [o1, o2] = online;
    const [t1, t2] = targets;
    const loss = tf.mul(tf.add(pair(o1, t2), pair(o2, t1)), 0.5) as tf.Scalar;
    return this.withKoleo(this.withLocalCrops(metrics ? { loss, metrics } : { loss }, locals, targets, pair));
  }

  /**
   * Registers a module trained beside encoder and head (a predictor, SwAV's prototypes, DINO's
   * last layer): its trainable variables join {@link trainableVariables}, all of them (`variables`,
   * by default its `allVariables()`) {@link stateVariables}; disposed with the method. Modules
   * are listed in the order they are registered.
   */
  protected addTrained<P extends TrainedModule>(module: P): P;
  protected addTrained<P extends Part>(module: P, variables: (module: P) => VariableMap): P;
  protected addTrained<P extends Part>(module: P, variables?: (module: P) => VariableMap): P {
    const m = module as P & Partial<TrainedModule>;
    this.owned.push({
      part: module,
      trainable: variables ? () => variables(module) : () => m.trainableVariables!(),
      state: variables ? () => variables(module) : () => m.allVariables!(),
    });
    return module;
  }

  /**
   * Registers the predictor MLP of the online side (BYOL, MoCo v3, NNCLR, SimSiam): from the
   * head's output back to its width, `projectionDim -> hiddenDim -> projectionDim` (SimSiam
   * gives its own bottleneck width), variables under `predictor/`, trained ({@link addTrained}).
   */
  protected addPredictor(rng: Rng, hiddenDim = this.options.hiddenDim): MlpHead {
    const width = this.options.projectionDim;
    return this.addTrained(new MlpHead('predictor/', width, hiddenDim, width, rng));
  }

  /**
   * Registers state kept beside encoder and head but not trained by the optimizer (a momentum
   * target, a queue, a running statistic, a closed-form predictor): its variables (`variables`,
   * by default its `stateVariables()`) join {@link stateVariables}, so checkpoints hold them;
   * disposed with the method.
   */
  protected addKept<P extends KeptModule>(part: P): P;
  protected addKept<P extends Part>(part: P, variables: (part: P) => VariableMap): P;
  protected addKept<P extends Part>(part: P, variables?: (part: P) => VariableMap): P {
    const k = part as P & Partial<KeptModule>;
    this.owned.push({ part, state: variables ? () => variables(part) : () => k.stateVariables!() });
    return part;
  }

  /**
   * A variable of the method's own state that the optimizer does not train (a running
   * statistic, a queue), starting at `initial()`: it joins {@link stateVariables} under `name`,
   * so checkpoints hold it; disposed with the method. Listed in the order registered, as
   * {@link addKept}.
   */
  protected addStateVariable(name: string, initial: () => tf.Tensor): tf.Variable {
    const state: ParamMap = new Map();
    const variable = adoptParam(state, name, initial, { trainable: false });
    this.owned.push({ part: { dispose: () => disposeParams(state) }, state: () => state });
    return variable;
  }

  /** A {@link StepCarry} from `computeLoss` to `afterStep`, disposed with the method. */
  protected addCarry<T extends tf.Tensor>(): StepCarry<T> {
    const carry = new StepCarry<T>();
    // Not checkpointed: between steps (where checkpoints are written) it is empty.
    this.owned.push({ part: carry, state: () => new Map() });
    return carry;
  }

  trainableVariables(): Map<string, tf.Variable> {
    const extra = this.owned.flatMap((o) => (o.trainable ? [o.trainable()] : []));
    return mergeVariables(pairVariables(this, 'trainable'), ...extra);
  }

  stateVariables(): Map<string, tf.Variable> {
    return mergeVariables(pairVariables(this, 'all'), ...this.owned.map((o) => o.state()));
  }

  /**
   * Training-mode encoder outputs of stacked views `[2N, ...]` (or of contiguous groups of them,
   * in order), remembered for {@link withKoleo} when the KoLeo weight is > 0.
   */
  protected encode(x: tf.Tensor): tf.Tensor2D {
    const h = this.encoder.apply(x, true);
    if ((this.options.koleo ?? 0) > 0) this.koleoInputs.push(h);
    return h;
  }

  /**
   * `out` with `koleo * (KoLeo(h1) + KoLeo(h2))` added, h1 and h2 the two views' encoder outputs
   * of this step (DINOv2's form), and the term logged as `koleo`. With weight 0 `out` is
   * returned as given, so the loss is bit-identical to the method without the option.
   */
  protected withKoleo(out: LossOutput): LossOutput {
    const weight = this.options.koleo ?? 0;
    const hs = this.koleoInputs;
    this.koleoInputs = [];
    if (weight <= 0) return out;
    if (hs.length === 0) throw new Error(`${this.name}: KoLeo needs the encoder outputs (encode() was not called)`);
    const h = hs.length === 1 ? hs[0]! : (tf.concat(hs, 0) as tf.Tensor2D);
    const [h1, h2] = splitViews(h);
    const term = tf.add(this.koleoObjective.compute({ z: h1 }), this.koleoObjective.compute({ z: h2 })) as tf.Scalar;
    return {
      loss: tf.add(out.loss, tf.mul(term, weight)) as tf.Scalar,
      metrics: { ...out.metrics, koleo: term },
    };
  }

  abstract computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput;

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.projector.dispose();
    for (const o of this.owned) o.part.dispose();
  }
}

/** Options of a method with a {@link MomentumTarget}: the two-view options and the momentum at step 0. */
export type MomentumOptions = TwoViewOptions & {
  /** Momentum of the EMA at step 0, raised to 1 on a cosine schedule (`baseMomentumOption`). */
  baseMomentum: number;
};

/**
 * A momentum copy of a two-view method's encoder and head (BYOL's and DirectPred's target,
 * MoCo's key network, MoCo v3's momentum encoder, DINO's teacher): built with the same
 * architecture and variable names, started equal to the online pair, then moved only by
 * {@link MomentumTarget.follow} (EMA, no gradient), after each optimizer step by
 * {@link MomentumTarget.followSchedule}. Checkpointed under `prefix`.
 */
export class MomentumTarget implements EncoderAndHead {
  readonly encoder: NetEncoder;
  readonly projector: MlpHead;
  private readonly baseMomentum: number;

  constructor(
    private readonly online: EncoderAndHead,
    options: MomentumOptions,
    sampleShape: number[],
    rng: Rng,
    /** Prefix of its variables in checkpoints (`target/`, `key/`). */
    readonly prefix: string,
  ) {
    this.baseMomentum = options.baseMomentum;
    // The online pair's architecture and variable names.
    const pair = buildEncoderAndHead(options, sampleShape, rng, online.projector.prefix);
    this.encoder = pair.encoder;
    this.projector = pair.projector;
    this.follow(0); // a copy of the online pair
  }

  /** `target <- m * target + (1 - m) * online` over encoder and head. */
  follow(momentum: number): void {
    emaUpdate(pairVariables(this, 'trainable'), pairVariables(this.online, 'trainable'), momentum);
  }

  /**
   * {@link follow} with the momentum of step `ctx.step` of `ctx.totalSteps` (core's
   * `cosineMomentum`: `baseMomentum` at step 0, rising to 1 at the end); returns that momentum.
   */
  followSchedule(ctx: StepContext): number {
    const momentum = cosineMomentum(ctx.step, ctx.totalSteps, this.baseMomentum);
    this.follow(momentum);
    return momentum;
  }

  /** Its variables (incl. batch-norm statistics) under its prefix. */
  stateVariables(): Map<string, tf.Variable> {
    return prefixed(this.prefix, pairVariables(this, 'all'));
  }

  /** Head output of the target for `x` (training-mode batch norm, as the online pass). */
  project(x: tf.Tensor): tf.Tensor2D {
    return this.projector.apply(this.encoder.apply(x, true), true);
  }

  dispose(): void {
    this.encoder.dispose();
    this.projector.dispose();
  }
}

/** Options of {@link multiCropViews}. */
export type MultiCropViewOptions = ImageMethodOptions & OptionsOf<typeof MULTI_CROP_OPTIONS>;

/**
 * The crops of a multi-crop batch: `[2N, h, w, c]` global crops (the method's view pipeline,
 * view 1 rows first) and, if `localCrops > 0`, `[kN, s, s, c]` local crops (random resized
 * crops of area `localScale` at `localSize`, then the same jitter/noise/cutout as the views).
 * The caller owns both tensors.
 */
export function multiCropViews(
  batch: tf.Tensor,
  views: Augmentation,
  o: MultiCropViewOptions,
  rng: Rng,
): { global: tf.Tensor4D; local?: tf.Tensor4D } {
  const global = stackedViews(batch, views, rng);
  if (o.localCrops <= 0) return { global };
  const x = batch as tf.Tensor4D;
  const [, h, w] = x.shape;
  const side = (d: number) =>
    o.localSize > 0 ? o.localSize : o.encoder === 'mlp' ? d : Math.max(8, Math.round((d * 3) / 7));
  const local = tf.tidy(() => {
    const crop = multiCrop({
      globalCrops: 0,
      localCrops: o.localCrops,
      localScale: o.localScale,
      localSize: [side(h), side(w)],
      augment: localViewAugment(o),
    });
    return tf.concat(crop(x, rng), 0) as tf.Tensor4D;
  });
  return { global, local };
}

/**
 * Checks the multi-crop options of a two-view method: `localCrops` a non-negative integer,
 * `localScale` an area range within (0, 1], `localSize` a non-negative integer.
 * @throws ConfigError naming the option.
 */
export function checkMultiCrop(o: Partial<OptionsOf<typeof MULTI_CROP_OPTIONS>>): void {
  const k = o.localCrops ?? 0;
  if (!(Number.isInteger(k) && k >= 0)) {
    throw new ConfigError(`expected a non-negative integer, got ${k}`, { field: 'localCrops' });
  }
  const [lo, hi] = o.localScale ?? MULTI_CROP_OPTIONS.localScale.default;
  if (!(lo > 0 && lo <= hi && hi <= 1)) {
    throw new ConfigError(`expected an area range 0 < min <= max <= 1, got [${lo}, ${hi}]`, { field: 'localScale' });
  }
  const s = o.localSize ?? 0;
  if (!(Number.isInteger(s) && s >= 0)) {
    throw new ConfigError(`expected a side in pixels (0: default), got ${s}`, { field: 'localSize' });
  }
}

/** The view pipeline without its crop (applied to the local crops). */
function localViewAugment(o: ImageMethodOptions): Augmentation {
  const steps: Augmentation[] = [];
  if (o.flip) steps.push(horizontalFlip());
  if (o.jitter > 0) steps.push(colorJitter({ brightness: o.jitter, contrast: o.jitter }));
  if (o.noise > 0) steps.push(gaussianNoise(o.noise));
  if (o.cutout) steps.push(cutout(o.cutout));
  return compose(...steps);
}
