/** The Trainer options most method tests run with. */
import type { TrainerOptions } from '../index.js';

/**
 * Trainer options of a short test run: `steps` batches of `batchSize`, Adam at the constant
 * rate `lr`, no progress output, no collapse diagnostics; `more` adds to them (seed, checkpoints).
 */
export function quietAdamRun(
  steps: number,
  batchSize: number,
  lr: number,
  more: Partial<TrainerOptions> = {},
): Partial<TrainerOptions> & { batchSize: number; steps: number } {
  return {
    steps,
    batchSize,
    optimizer: { name: 'adam', lr },
    schedule: { kind: 'constant' },
    quiet: true,
    diagnosticsEvery: 0,
    ...more,
  };
}
