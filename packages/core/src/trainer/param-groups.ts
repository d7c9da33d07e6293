import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { OptimizerOptions, ScheduleOptions } from './options.js';

/**
 * Which variables a parameter group holds: a list of names, a regular expression tested on
 * each name, or a predicate of the name and the variable (e.g. `(n, v) => v.rank >= 2`).
 * Names are the keys of the method's `trainableVariables()`.
 */
export type ParamSelector = readonly string[] | RegExp | ((name: string, variable: tf.Variable) => boolean);

/**
 * One parameter group of a Trainer, as torch's optimizer param groups: its own peak learning
 * rate (or a multiple of `optimizer.lr`), schedule and weight decay, or `frozen` (no gradient
 * is computed for its variables and the optimizer keeps no slots for them). Every other
 * hyper-parameter (betas, momentum, ...) is the trainer's `optimizer`'s.
 */
export interface ParamGroupOptions {
  /** Unique name, shown in resume errors (`groups.<name>.lr`). */
  name: string;
  /**
   * The group's variables. A variable goes to the first group that selects it, and to none
   * (the trainer's `optimizer` and `schedule` settings) when no group does.
   */
  params: ParamSelector;
  /** Peak learning rate. Default: `lrMultiplier` x `optimizer.lr`. */
  lr?: number;
  /** Peak learning rate as a multiple of `optimizer.lr`, when `lr` is not given. Default 1. */
  lrMultiplier?: number;
  /** Weight decay of the group's variables (same meaning as `optimizer.weightDecay`). Default `optimizer.weightDecay`. */
  weightDecay?: number;
  /** The group's schedule. Default the trainer's `schedule`. */
  schedule?: ScheduleOptions;
  /** Train none of the group's variables. Default false. */
  frozen?: boolean;
}

/** A parameter group with its variables and every setting resolved. */
export interface ResolvedParamGroup {
  /** The group's name; `undefined` for the variables no group selects. */
  name: string | undefined;
  /** Its variables, by name, in the order of the method's `trainableVariables()`. */
  params: Map<string, tf.Variable>;
  /** Peak learning rate. */
  lr: number;
  weightDecay: number;
  schedule: ScheduleOptions;
  frozen: boolean;
}

/**
 * The settings of configured groups that a checkpoint records and a resumed run must match:
 * names, members, peak learning rate, weight decay, an own schedule, frozen.
 */
export interface ParamGroupSettings {
  name: string;
  /** Member names, in the method's order. */
  params: string[];
  lr: number;
  weightDecay: number;
  /** The group's own schedule; null when it follows the trainer's. */
  schedule: ScheduleOptions | null;
  frozen: boolean;
}

/** Throws a ConfigError naming `groups[i].<field>` unless every group's settings are valid and names unique. */
export function checkParamGroups(groups: readonly ParamGroupOptions[]): void {
  if (!Array.isArray(groups)) throw new ConfigError('expected an array of parameter groups', { field: 'groups' });
  const seen = new Set<string>();
  for (const [i, g] of groups.entries()) {
    const field = (f: string) => `groups[${i}].${f}`;
    if (typeof g?.name !== 'string' || g.name === '') {
      throw new ConfigError('expected a non-empty name', { field: field('name') });
    }
    if (seen.has(g.name)) throw new ConfigError(`two groups are named '${g.name}'`, { field: field('name') });
    seen.add(g.name);
    const p = g.params;
    const ok =
      typeof p === 'function' ||
      p instanceof RegExp ||
      (Array.isArray(p) && p.every((x: unknown) => typeof x === 'string'));
    if (!ok) {
      throw new ConfigError('expected a list of names, a RegExp or a predicate', { field: field('params') });
    }
    const positive = (f: string, v: number | undefined) => {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new ConfigError(`expected a positive number, got ${v}`, { field: field(f) });
      }
    };
    positive('lr', g.lr);
    positive('lrMultiplier', g.lrMultiplier);
    if (g.weightDecay !== undefined && !(Number.isFinite(g.weightDecay) && g.weightDecay >= 0)) {
      throw new ConfigError(`expected a number >= 0, got ${g.weightDecay}`, { field: field('weightDecay') });
    }
    const s = g.schedule;
    if (s !== undefined) {
      if (!['cosine', 'constant'].includes(s.kind)) {
        throw new ConfigError(`unknown schedule '${s.kind}'; known: cosine, constant`, {
          field: field('schedule.kind'),
        });
      }
      if (s.warmupSteps !== undefined && !(Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0)) {
        throw new ConfigError(`expected an integer >= 0, got ${s.warmupSteps}`, {
          field: field('schedule.warmupSteps'),
        });
      }
      if (s.minLrRatio !== undefined && !(s.minLrRatio >= 0 && s.minLrRatio <= 1)) {
        throw new ConfigError(`expected a number in [0, 1], got ${s.minLrRatio}`, {
          field: field('schedule.minLrRatio'),
        });
      }
    }
    if (g.frozen !== undefined && typeof g.frozen !== 'boolean') {
      throw new ConfigError(`expected true or false, got ${String(g.frozen)}`, { field: field('frozen') });
    }
  }
}

/**
 * Splits `params` into the configured groups (first match wins), then the variables no group
 * selects (name `undefined`, the trainer's own settings) when there are any. Groups that
 * select nothing are kept (empty), so a checkpoint records the same list of groups.
 */
export function resolveParamGroups(
  groups: readonly ParamGroupOptions[],
  params: ReadonlyMap<string, tf.Variable>,
  optimizer: OptimizerOptions,
  schedule: ScheduleOptions,
): ResolvedParamGroup[] {
  const out: ResolvedParamGroup[] = groups.map((g) => ({
    name: g.name,
    params: new Map(),
    lr: g.lr ?? optimizer.lr * (g.lrMultiplier ?? 1),
    weightDecay: g.weightDecay ?? optimizer.weightDecay ?? 0,
    schedule: g.schedule ?? schedule,
    frozen: g.frozen ?? false,
  }));
  const rest: ResolvedParamGroup = {
    name: undefined,
    params: new Map(),
    lr: optimizer.lr,
    weightDecay: optimizer.weightDecay ?? 0,
    schedule,
    frozen: false,
  };
  const tests = groups.map((g) => selects(g.params));
  for (const [name, v] of params) {
    const i = tests.findIndex((t) => t(name, v));
    (i < 0 ? rest : out[i]!).params.set(name, v);
  }
  if (rest.params.size > 0) out.push(rest);
  return out;
}

/** The record of configured groups a checkpoint keeps (see {@link ParamGroupSettings}). */
export function paramGroupSettings(
  groups: readonly ParamGroupOptions[],
  resolved: readonly ResolvedParamGroup[],
): ParamGroupSettings[] {
  return groups.map((g, i) => {
    const r = resolved[i]!;
    return {
      name: g.name,
      params: [...r.params.keys()],
      lr: r.lr,
      weightDecay: r.weightDecay,
      schedule: g.schedule ?? null,
      frozen: r.frozen,
    };
  });
}

function selects(p: ParamSelector): (name: string, v: tf.Variable) => boolean {
  if (typeof p === 'function') return p;
  if (p instanceof RegExp) return (name) => new RegExp(p.source, p.flags.replace('g', '')).test(name);
  const names = new Set(p);
  return (name) => names.has(name);
}
