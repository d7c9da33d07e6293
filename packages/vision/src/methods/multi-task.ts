/**
 * Multi-task self-supervision (Doersch & Zisserman 2017, "Multi-task Self-Supervised Visual
 * Learning", ICCV): one encoder shared by several pretext heads, trained on the weighted sum
 * of their losses (the paper's naive combination, sec. 3; its lasso over layers is not used:
 * the heads read only the encoder's output). Here: rotation, context prediction and jigsaw;
 * a weight of 0 leaves a task out. Each task's loss and accuracy are logged.
 */
import { ConfigError, type NetEncoder, type OptionsOf, type OptionTable, type Rng } from '@autodidact/core';
import { ContextTask } from './context.js';
import { JigsawTask } from './jigsaw.js';
import { PRETEXT_TRAINER_DEFAULTS, PretextMethod, type PretextTask } from './pretext-task.js';
import { RotationTask } from './rotation.js';
import { buildEncoder, WIDE_IMAGE_ENCODER_OPTIONS, lightViewOptions, visionMethod } from './view-options.js';

/** Multi-task options: type, bounds, meaning and default of each (docs/methods/multi-task.md). */
export const MULTI_TASK_OPTIONS = {
  ...WIDE_IMAGE_ENCODER_OPTIONS,
  hiddenDim: { type: 'integer', default: 256, min: 1, description: 'Hidden width of every head.' },
  rotationWeight: { type: 'number', default: 1, min: 0, description: 'Weight of the rotation loss (0: task off).' },
  contextWeight: {
    type: 'number',
    default: 1,
    min: 0,
    description: 'Weight of the context-prediction loss (0: task off).',
  },
  jigsawWeight: { type: 'number', default: 1, min: 0, description: 'Weight of the jigsaw loss (0: task off).' },
  ...lightViewOptions("Rotation's light augmentation."),
  /** Context geometry. */
  patch: { type: 'integer', default: 7, min: 1, description: 'Context: patch side in pixels.' },
  gap: { type: 'integer', default: 2, min: 0, description: 'Context: pixels between neighbouring patches.' },
  contextJitter: {
    type: 'integer',
    default: 1,
    min: 0,
    description: 'Context: per-patch jitter in pixels along each axis.',
  },
  /** Jigsaw geometry and permutation set. */
  grid: { type: 'integer', default: 3, min: 1, description: 'Jigsaw: tiles per side.' },
  tile: { type: 'integer', default: 7, min: 1, description: 'Jigsaw: tile side in pixels.' },
  permutations: { type: 'integer', default: 32, min: 1, description: 'Jigsaw: size of the permutation set.' },
  permutationSeed: { type: 'integer', default: 0, min: 0, description: 'Jigsaw: seed of the permutation set.' },
} satisfies OptionTable;
/** Options of {@link createMultiTask}. */
export type MultiTaskOptions = OptionsOf<typeof MULTI_TASK_OPTIONS>;

/** `--method multi-task`. */
export const MULTI_TASK_METHOD = visionMethod({
  name: 'multi-task',
  summary: 'multi-task: rotation + context + jigsaw heads on one encoder (Doersch & Zisserman 2017)',
  options: MULTI_TASK_OPTIONS,
  trainerDefaults: PRETEXT_TRAINER_DEFAULTS,
  create: ({ sampleShape, options, rng }) => createMultiTask(sampleShape, options, rng),
});

/** Several pretext heads on one encoder. */
export function createMultiTask(sampleShape: number[], options: Partial<MultiTaskOptions>, rng: Rng): PretextMethod {
  const o = MULTI_TASK_METHOD.resolve(options);
  const encoder: NetEncoder = buildEncoder(o, sampleShape, rng);
  const d = encoder.config.outputDim;
  const tasks: { task: PretextTask; weight: number }[] = [];
  for (const [field, w] of [
    ['rotationWeight', o.rotationWeight],
    ['contextWeight', o.contextWeight],
    ['jigsawWeight', o.jigsawWeight],
  ] as const) {
    if (!(Number.isFinite(w) && w >= 0)) throw new ConfigError(`expected a weight >= 0, got ${w}`, { field });
  }
  if (o.rotationWeight > 0) tasks.push({ task: new RotationTask(d, o, rng), weight: o.rotationWeight });
  if (o.contextWeight > 0) {
    const geometry = { patch: o.patch, gap: o.gap, jitter: o.contextJitter };
    tasks.push({ task: new ContextTask(d, o.hiddenDim, geometry, rng), weight: o.contextWeight });
  }
  if (o.jigsawWeight > 0) {
    const task = new JigsawTask(d, o.hiddenDim, o.permutations, o, o.permutationSeed, rng);
    tasks.push({ task, weight: o.jigsawWeight });
  }
  if (tasks.length === 0) {
    encoder.dispose();
    throw new ConfigError('every task weight is 0; give at least one task a positive weight', {
      field: 'rotationWeight',
    });
  }
  return new PretextMethod('multi-task', encoder, tasks, o);
}
