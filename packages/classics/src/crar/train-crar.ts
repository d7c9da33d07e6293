/**
 * The CRAR experiment end to end: random exploration of the maze, CRAR training, and the
 * measurements: a least-squares probe from the abstract state of a free cell to its true
 * (row, col), fitted on half of the free cells and scored (R^2) on the other half (the
 * checkerboard split of {@link probeHalf}), before and after training, and SVGs of the layout
 * before and after.
 * Training runs through core's Trainer (checkpoints and exact resume with `checkpointDir`).
 */
import { type ExperimentRunOptions, runExperiment, type TrainResult, type TrainerCallback } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { abstractStateSvg } from './abstract-state-svg.js';
import { Crar, type CrarLosses, type CrarOptions } from './crar.js';
import { type Cell, GridWorld } from './grid-world.js';
import { leastSquaresHeldOutR2, leastSquaresR2 } from './least-squares-r2.js';
import { TransitionDataset } from './transition-dataset.js';
import { type RunFacts, runFacts } from '../run-facts.js';

/** Options of {@link trainCrar}. */
export interface TrainCrarOptions extends CrarOptions, ExperimentRunOptions {
  /** Adam steps; default 1500. */
  steps?: number;
  /** Transitions per step; default 64. */
  batchSize?: number;
  /** Adam learning rate (constant); default 0.002. */
  learningRate?: number;
  /** Random-exploration transitions; default 3000. */
  transitions?: number;
  /** The world; default `new GridWorld()` (`DEFAULT_MAZE`, the test maze; `new GridWorld(VALIDATION_MAZE)` to choose settings). */
  world?: GridWorld;
  /** Called every 100 steps. */
  onProgress?: (step: number, losses: CrarLosses) => void;
  /** Called with the trained model (e.g. to plan with it) before it is disposed. */
  onTrained?: (model: Crar, world: GridWorld) => void;
}

/** What {@link trainCrar} measured. */
export interface CrarResult extends RunFacts {
  /**
   * Mean R^2 of the least-squares (row, col) probe on the abstract states at init, fitted on the
   * free cells with (row + col) even and scored on those with (row + col) odd ({@link probeHalf}).
   */
  r2Before: number;
  /** The same after training. */
  r2After: number;
  /** In-sample R^2 at init: the probe fitted and scored on every free cell (optimistic; for comparison with earlier results). */
  r2InSampleBefore: number;
  /** The same after training. */
  r2InSampleAfter: number;
  /** Abstract state of every free cell after training, with the cell. */
  states: { cell: [number, number]; state: number[] }[];
  /** SVG of the learned layout. */
  svg: string;
  /** SVG of the layout at init. */
  svgBefore: string;
  /** Loss terms of the last step this process ran (zeros when it ran none). */
  finalLosses: CrarLosses;
  /** Total loss per step (the whole run's, when resumed). */
  history: number[];
}

type CellState = { cell: [number, number]; state: number[] };

function cellStates(model: Crar, world: GridWorld, cells: Cell[]): CellState[] {
  const obs = new Float32Array(cells.length * world.obsSize);
  cells.forEach((c, i) => {
    world.render(c, obs, i * world.obsSize);
  });
  const z = tf.tidy(() => model.encode(tf.tensor2d(obs, [cells.length, world.obsSize])).arraySync());
  return cells.map((c, i) => ({ cell: [c[0], c[1]], state: z[i]! }));
}

/**
 * Which half of the free cells a cell belongs to in the probe: `'fit'` when row + col is even (the
 * probe's weights are fitted on these), `'score'` when odd (its R^2 is computed on these). A fixed
 * checkerboard, so both halves cover the whole maze.
 */
export function probeHalf([row, col]: Cell): 'fit' | 'score' {
  return (row + col) % 2 === 0 ? 'fit' : 'score';
}

const rows = (states: CellState[]) => ({
  features: states.map((s) => s.state),
  targets: states.map((s) => [s.cell[0], s.cell[1]]),
});

/** Held-out-cell R^2 (fit on one checkerboard half, scored on the other) and in-sample R^2. */
function probe(states: CellState[]): { heldOut: number; inSample: number } {
  const all = rows(states);
  return {
    heldOut: leastSquaresHeldOutR2(
      rows(states.filter((s) => probeHalf(s.cell) === 'fit')),
      rows(states.filter((s) => probeHalf(s.cell) === 'score')),
    ).mean,
    inSample: leastSquaresR2(all.features, all.targets).mean,
  };
}

function plot(states: CellState[], title: string): string {
  const dim = states[0]!.state.length;
  const index = new Map(states.map((s, i) => [s.cell.join(','), i]));
  const edges: [number, number][] = [];
  states.forEach((s, i) => {
    for (const key of [`${s.cell[0]},${s.cell[1] + 1}`, `${s.cell[0] + 1},${s.cell[1]}`]) {
      const j = index.get(key);
      if (j !== undefined) edges.push([i, j]);
    }
  });
  return abstractStateSvg(
    states.flatMap((s) => s.state),
    dim,
    states.map((s) => [s.cell[1], s.cell[0]] as const), // (x, y) = (col, row)
    { edges, title },
  );
}

/** Trains CRAR on random exploration of `world`; the model is disposed before returning. */
export async function trainCrar(opts: TrainCrarOptions = {}): Promise<CrarResult> {
  const world = opts.world ?? new GridWorld();
  const seed = opts.seed ?? 0;
  const steps = opts.steps ?? 1500;
  const data = new TransitionDataset(world.explore(opts.transitions ?? 3000, 7919 + seed), world.obsSize);
  const model = new Crar(world.obsSize, opts);
  const cells = world.freeCells();
  let finalLosses: CrarLosses = { transition: 0, reward: 0, dispersion: 0, consistency: 0, total: 0 };
  const onProgress = opts.onProgress;
  const callbacks: TrainerCallback[] = [
    ...(opts.callbacks ?? []),
    {
      onStepEnd: (i) => {
        const m = i.metrics ?? {};
        finalLosses = {
          transition: m.transition!,
          reward: m.reward!,
          dispersion: m.dispersion!,
          consistency: m.consistency!,
          total: i.loss,
        };
        if (onProgress && i.step % 100 === 0) onProgress(i.step, finalLosses);
      },
    },
  ];
  try {
    const before = cellStates(model, world, cells);
    const r: TrainResult = await runExperiment(
      model,
      data,
      { batchSize: opts.batchSize ?? 64, steps: steps, seed, lr: opts.learningRate ?? 0.002 },
      opts,
      callbacks,
    );
    const after = cellStates(model, world, cells);
    opts.onTrained?.(model, world);
    const r2Before = probe(before);
    const r2After = probe(after);
    return {
      r2Before: r2Before.heldOut,
      r2After: r2After.heldOut,
      r2InSampleBefore: r2Before.inSample,
      r2InSampleAfter: r2After.inSample,
      states: after,
      svg: plot(
        after,
        `CRAR abstract states after ${r.steps} steps (held-out-cell probe R² ${r2After.heldOut.toFixed(2)})`,
      ),
      svgBefore: plot(before, `CRAR abstract states at init (held-out-cell probe R² ${r2Before.heldOut.toFixed(2)})`),
      finalLosses,
      history: r.lossHistory,
      ...runFacts(r),
    };
  } finally {
    model.dispose();
  }
}
