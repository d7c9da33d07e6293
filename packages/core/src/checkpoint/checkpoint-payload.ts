/**
 * What both checkpoint stores write, made once: the options checked, the tensors encoded as a
 * tfjs weights manifest + bytes, a tensor holding NaN or Inf refused, and the three payload
 * files. The disk store (`save-checkpoint.ts`) writes them as files of a folder; the browser's
 * (`checkpoint-files.browser.ts`) as one IndexedDB record. Portable: no Node built-ins.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, NumericalError } from '../errors.js';
import { CHECKPOINT_FILES, checkpointFolderName } from './checkpoint-layout.js';
import { firstNonFiniteWeight } from './finite-weights.js';

/** What a checkpoint holds. */
export interface CheckpointData {
  /** Optimizer steps completed. */
  step: number;
  /** Tensors by stable name (`method/encoder/conv1/kernel`, `optimizer/.../m`). Not disposed. */
  tensors: ReadonlyMap<string, tf.Tensor>;
  /** Plain JSON: trainer options, optimizer step, RNG state, data position, method, encoder config... */
  state: Record<string, unknown>;
}

/** Options of `saveCheckpoint`. */
export interface SaveCheckpointOptions {
  /** Checkpoints to keep (the newest). Default 2. */
  keep?: number;
}

/** A checkpoint ready to store: its name, how many to keep, and its payload files in order. */
export interface CheckpointPayload {
  /** `step-NNNNNN`. */
  name: string;
  keep: number;
  /** weights.bin (the encoded bytes), weights.json and state.json. */
  files: [name: string, content: ArrayBuffer | string][];
}

/**
 * Checks `data.step` and `options.keep` (ConfigError), encodes the tensors, and refuses a float
 * tensor holding NaN or Inf (a NumericalError naming it), all before anything is written.
 */
export async function checkpointPayload(
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointPayload> {
  const keep = options.keep ?? 2;
  if (!Number.isInteger(data.step) || data.step < 0) {
    throw new ConfigError(`checkpoint step must be a non-negative integer, got ${data.step}`, { field: 'step' });
  }
  if (!Number.isInteger(keep) || keep < 1)
    throw new ConfigError(`expected an integer >= 1, got ${keep}`, { field: 'keep' });
  const name = checkpointFolderName(data.step);
  const named: tf.NamedTensorMap = {};
  for (const [k, t] of data.tensors) named[k] = t;
  const { data: bin, specs } = await tf.io.encodeWeights(named);
  // A checkpoint is the state to go back to: one holding NaN or Inf never is.
  const bad = firstNonFiniteWeight(bin, specs);
  if (bad !== undefined) {
    throw new NumericalError(`refusing to write checkpoint ${name}: tensor '${bad}' holds NaN or infinite values`, {
      step: data.step,
      tensorName: bad,
    });
  }
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [CHECKPOINT_FILES.weights], weights: specs }];
  return {
    name,
    keep,
    files: [
      [CHECKPOINT_FILES.weights, bin],
      [CHECKPOINT_FILES.manifest, JSON.stringify(manifest)],
      [CHECKPOINT_FILES.state, JSON.stringify({ ...data.state, step: data.step })],
    ],
  };
}
