import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors.js';
import type { OptimizerOptions } from '../options.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Lars, type LarsExclude } from './lars.js';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';

/** Optimizer names `createOptimizer` knows. */
export const OPTIMIZER_NAMES = ['adam', 'adamw', 'sgd', 'lars'] as const;

/**
 * Builds the optimizer `options.name` over `params`. The learning rate is not part of the
 * optimizer (the trainer passes the scheduled rate to each step).
 * @param larsExclude predicate overriding LARS's name rule for excluded parameters
 */
export function createOptimizer(
  options: OptimizerOptions,
  params: ReadonlyMap<string, tf.Variable>,
  larsExclude?: LarsExclude,
): Optimizer {
  const wd = options.weightDecay ?? 0;
  switch (options.name) {
    case 'adam':
      return new Adam(params, { betas: options.betas, eps: options.eps, weightDecay: wd });
    case 'adamw':
      return new AdamW(params, { betas: options.betas, eps: options.eps, weightDecay: wd });
    case 'sgd':
      return new Sgd(params, { momentum: options.momentum, nesterov: options.nesterov, weightDecay: wd });
    case 'lars':
      return new Lars(
        params,
        {
          momentum: options.momentum,
          nesterov: options.nesterov,
          weightDecay: wd,
          trustCoefficient: options.trustCoefficient,
          exclude: options.larsExclude,
        },
        larsExclude,
      );
    default:
      throw new ConfigError(
        `unknown optimizer '${String((options as { name: unknown }).name)}'; known: ${OPTIMIZER_NAMES.join(', ')}`,
        {
          field: 'optimizer.name',
        },
      );
  }
}
