import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, NumericalError } from '../errors.js';
import { CHECKPOINT_FILES, checkpointFolderName, parseCheckpointFolderName, TEMP_PREFIX } from './checkpoint-layout.js';
import { firstNonFiniteWeight } from './finite-weights.js';
import { fsyncDir, writeFileAtomic, writeFileSynced } from './write-file-atomic.js';

/** What a checkpoint holds. */
export interface CheckpointData {
  /** Optimizer steps completed. */
  step: number;
  /** Tensors by stable name (`method/encoder/conv1/kernel`, `optimizer/.../m`). Not disposed. */
  tensors: ReadonlyMap<string, tf.Tensor>;
  /** Plain JSON: trainer options, optimizer step, RNG state, data position, method, encoder config... */
  state: Record<string, unknown>;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Checkpoint folders to keep (the newest). Default 2. */
  keep?: number;
}

/**
 * Writes `dir/step-NNNNNN/` (tensors as a tfjs weights manifest + bin, `state.json`, and the
 * sha256 of each in `SHA256SUMS`) into
 * a temporary folder, fsyncs it, renames it into place, and only then atomically updates
 * `dir/latest`. Older folders beyond `keep` and leftover temporary folders are removed
 * afterwards. A process killed at any point leaves the previous checkpoint readable. A float
 * tensor holding NaN or Inf is refused (a NumericalError naming it) before anything is written.
 * Returns the folder's path.
 */
export async function saveCheckpoint(
  dir: string,
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<string> {
  const keep = options.keep ?? 2;
  if (!Number.isInteger(data.step) || data.step < 0) {
    throw new ConfigError(`checkpoint step must be a non-negative integer, got ${data.step}`, { field: 'step' });
  }
  if (!Number.isInteger(keep) || keep < 1)
    throw new ConfigError(`expected an integer >= 1, got ${keep}`, { field: 'keep' });
  await mkdir(dir, { recursive: true });
  const name = checkpointFolderName(data.step);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dir, `${TEMP_PREFIX}${name}-${tag}`);
  await mkdir(tmp);
  try {
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
    const files: [string, string | Uint8Array][] = [
      [CHECKPOINT_FILES.weights, new Uint8Array(bin)],
      [CHECKPOINT_FILES.manifest, JSON.stringify(manifest)],
      [CHECKPOINT_FILES.state, JSON.stringify({ ...data.state, step: data.step })],
    ];
    for (const [file, content] of files) await writeFileSynced(join(tmp, file), content);
    // In sha256sum's format, so `sha256sum -c SHA256SUMS` inside the folder checks it too.
    const sums = files.map(([file, content]) => `${createHash('sha256').update(content).digest('hex')}  ${file}\n`);
    await writeFileSynced(join(tmp, CHECKPOINT_FILES.checksums), sums.join(''));
    await fsyncDir(tmp);
    const final = join(dir, name);
    if (await exists(final)) {
      // Same step saved again (e.g. the NaN guard after a periodic save): swap it out.
      const old = join(dir, `${TEMP_PREFIX}old-${name}-${tag}`);
      await rename(final, old);
      await rename(tmp, final);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, final);
    }
    await fsyncDir(dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await writeFileAtomic(join(dir, CHECKPOINT_FILES.latest), JSON.stringify({ step: data.step, folder: name }));
  await prune(dir, keep, name);
  return join(dir, name);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps `current` and the `keep - 1` newest folders before it; removes older ones, folders
 * of later steps (left by an abandoned run that this one overwrites) and stale temp folders.
 */
async function prune(dir: string, keep: number, current: string): Promise<void> {
  const entries = await readdir(dir);
  const currentStep = parseCheckpointFolderName(current)!;
  const steps = entries
    .map((e) => ({ e, step: parseCheckpointFolderName(e) }))
    .filter((x): x is { e: string; step: number } => x.step !== undefined && x.e !== current)
    .sort((a, b) => b.step - a.step);
  const earlier = steps.filter((x) => x.step < currentStep);
  const doomed = [...steps.filter((x) => x.step > currentStep), ...earlier.slice(keep - 1)].map((x) => x.e);
  doomed.push(...entries.filter((e) => e.startsWith(TEMP_PREFIX)));
  for (const e of doomed) await rm(join(dir, e), { recursive: true, force: true });
}
