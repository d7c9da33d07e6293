import * as tf from '@tensorflow/tfjs';
import { momentumStep, type ParamUpdate, SlotOptimizer } from './optimizer.js';

/** Which parameters LARS leaves out of trust-ratio adaptation and weight decay. */
export type LarsExclude = (name: string, param: tf.Variable) => boolean;

/**
 * Default exclusion rule: biases and batch-norm parameters, i.e. every 1-D parameter and
 * every name with a path segment `bias`, `bn`, `batchnorm` or `batch_norm`
 * (`head/bias`, `encoder/bn1/gamma`, `encoder/batch_norm/beta`).
 */
export const LARS_DEFAULT_EXCLUDE = /(^|[/_.])(bias|bn|batchnorm|batch_norm)([/_.]|$)/i;

/** Hyper-parameters of LARS. */
export interface LarsConfig {
  /** Momentum factor. Default 0.9. */
  momentum: number;
  /** Weight decay added to the gradient of adapted parameters. Default 0. */
  weightDecay: number;
  /** Trust coefficient eta. Default 1e-3. */
  trustCoefficient: number;
  /** Nesterov momentum. Default false. */
  nesterov: boolean;
  /** Name pattern (regex source) of parameters excluded besides all 1-D ones. Default {@link LARS_DEFAULT_EXCLUDE}. */
  exclude: string;
}

/**
 * LARS (You, Gitman & Ginsburg 2017, "Large Batch Training of Convolutional Networks"), in
 * the form SimCLR and BYOL use: for each adapted parameter w with gradient g,
 * g' = g + wd w, trust = eta |w| / |g'| (1 when either norm is 0), v = mu v + lr trust g',
 * w -= v (Nesterov: w -= mu v + lr trust g'). Excluded parameters (biases, batch norm) get
 * neither decay nor adaptation (trust = 1). Slot: `momentum`.
 */
export class Lars extends SlotOptimizer {
  readonly name = 'lars';
  readonly config: Readonly<LarsConfig>;
  private readonly isExcluded: LarsExclude;

  /**
   * @param exclude overrides the name rule with a predicate (not saved in checkpoints;
   *   pass the same one when resuming)
   */
  constructor(params: ReadonlyMap<string, tf.Variable>, config: Partial<LarsConfig> = {}, exclude?: LarsExclude) {
    super(params, ['momentum']);
    this.config = {
      momentum: config.momentum ?? 0.9,
      weightDecay: config.weightDecay ?? 0,
      trustCoefficient: config.trustCoefficient ?? 1e-3,
      nesterov: config.nesterov ?? false,
      exclude: config.exclude ?? LARS_DEFAULT_EXCLUDE.source,
    };
    const re = new RegExp(this.config.exclude, 'i');
    this.isExcluded = exclude ?? ((name, p) => p.rank <= 1 || re.test(name));
  }

  /** Whether `name` is left out of adaptation and decay. */
  excludes(name: string): boolean {
    const p = this.params.get(name);
    return p ? this.isExcluded(name, p) : false;
  }

  protected update(
    name: string,
    param: tf.Variable,
    grad: tf.Tensor,
    slots: ReadonlyMap<string, tf.Variable>,
    lr: number,
  ): ParamUpdate {
    const { momentum: mu, weightDecay: wd, trustCoefficient: eta, nesterov } = this.config;
    let scaled: tf.Tensor | number = lr;
    let g = grad;
    if (!this.isExcluded(name, param)) {
      if (wd !== 0) g = g.add(param.mul(wd));
      const wn = tf.norm(param);
      const gn = tf.norm(g);
      const ok = tf.logicalAnd(wn.greater(0), gn.greater(0));
      // Divide by a safe denominator so the unused branch of `where` has no NaN.
      const trust = tf.where(ok, wn.mul(eta).div(tf.where(ok, gn, tf.onesLike(gn))), tf.onesLike(wn));
      scaled = trust.mul(lr);
    }
    const { buf, delta } = momentumStep(slots.get('momentum')!, g.mul(scaled), mu, nesterov);
    return { param: param.sub(delta), slots: { momentum: buf } };
  }
}
