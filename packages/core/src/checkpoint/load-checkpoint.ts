import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import { CHECKPOINT_FILES, parseCheckpointFolderName } from './checkpoint-layout.js';

/** A checkpoint read back by {@link loadCheckpoint}. */
export interface LoadedCheckpoint {
  /** Optimizer steps completed when it was written. */
  step: number;
  /** Tensors by name. The caller owns (and disposes) them. */
  tensors: Map<string, tf.Tensor>;
  /** The JSON state saved with it. */
  state: Record<string, unknown>;
  /** The checkpoint folder. */
  path: string;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The folder of the newest complete checkpoint in `dir`, or undefined when there is none
 * (no directory, or no checkpoint yet). Follows `dir/latest`; without it (a crash before
 * the first pointer was written) takes the highest `step-*` folder, which is complete
 * because folders are renamed into place only once written; likewise when `latest` names a
 * folder that is gone. Temporary folders are ignored. A `latest` that is unreadable, or that
 * points nowhere while no checkpoint folder exists, is a CheckpointError.
 */
export async function findLatestCheckpoint(dir: string): Promise<string | undefined> {
  if (!(await isDir(dir))) return undefined;
  const pointer = join(dir, CHECKPOINT_FILES.latest);
  const entries = await readdir(dir);
  const folders = entries
    .map((e) => ({ e, step: parseCheckpointFolderName(e) }))
    .filter((x): x is { e: string; step: number } => x.step !== undefined)
    .sort((a, b) => b.step - a.step);
  if (await isFile(pointer)) {
    let folder: unknown;
    try {
      folder = (JSON.parse(await readFile(pointer, 'utf8')) as { folder?: unknown }).folder;
    } catch (err) {
      throw new CheckpointError(`'${CHECKPOINT_FILES.latest}' is not valid JSON`, { path: pointer, cause: err });
    }
    if (typeof folder !== 'string' || parseCheckpointFolderName(folder) === undefined) {
      throw new CheckpointError(`'${CHECKPOINT_FILES.latest}' does not name a step-* folder`, { path: pointer });
    }
    const target = join(dir, folder);
    if (!(await isDir(target))) {
      // A crash while the same step was being re-saved (old folder moved aside, new one not yet
      // in place): the newest complete folder is the best state there is.
      for (const f of folders) if (await isDir(join(dir, f.e))) return join(dir, f.e);
      throw new CheckpointError(`'${CHECKPOINT_FILES.latest}' points to ${folder}, which does not exist`, {
        path: pointer,
      });
    }
    return target;
  }
  for (const f of folders) if (await isDir(join(dir, f.e))) return join(dir, f.e);
  return undefined;
}

/**
 * Reads a checkpoint: either a checkpoint folder (`.../step-000123`) or a checkpoint
 * directory, whose latest checkpoint is taken. Any problem (no checkpoint, missing file,
 * invalid JSON, a weights file shorter or longer than its manifest says) is a
 * CheckpointError naming the path and the problem.
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let folder = path;
  if (
    !(await isFile(join(path, CHECKPOINT_FILES.state))) &&
    parseCheckpointFolderName(basenameOf(path)) === undefined
  ) {
    const latest = await findLatestCheckpoint(path);
    if (!latest) throw new CheckpointError('no checkpoint found (no step-* folder)', { path });
    folder = latest;
  }
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(folder, name));
    } catch (err) {
      throw new CheckpointError(`missing ${name}`, { path: folder, cause: err });
    }
  };
  const parse = async (name: string): Promise<unknown> => {
    const text = (await read(name)).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CheckpointError(`${name} is not valid JSON (truncated?)`, { path: folder, cause: err });
    }
  };
  const state = await parse(CHECKPOINT_FILES.state);
  if (typeof state !== 'object' || state === null || typeof (state as { step?: unknown }).step !== 'number') {
    throw new CheckpointError(`${CHECKPOINT_FILES.state} has no numeric 'step'`, { path: folder });
  }
  const manifest = await parse(CHECKPOINT_FILES.manifest);
  if (!Array.isArray(manifest)) {
    throw new CheckpointError(`${CHECKPOINT_FILES.manifest} is not a tfjs weights manifest (an array of groups)`, {
      path: folder,
    });
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of manifest as tf.io.WeightsManifestConfig) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new CheckpointError(`${CHECKPOINT_FILES.manifest}: a group lacks 'paths' or 'weights'`, { path: folder });
    }
    for (const p of group.paths) chunks.push(await read(p));
    for (const w of group.weights) {
      if (
        typeof w?.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d: number) => Number.isInteger(d) && d >= 0) ||
        BYTES[w.dtype] === undefined
      ) {
        throw new CheckpointError(`${CHECKPOINT_FILES.manifest}: bad entry ${JSON.stringify(w)}`, { path: folder });
      }
      specs.push(w);
    }
  }
  const bin = Buffer.concat(chunks);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * BYTES[s.dtype]!, 0);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(
      `${CHECKPOINT_FILES.weights} has ${bin.byteLength} bytes, the manifest describes ${expected} (truncated or mismatched)`,
      { path: folder },
    );
  }
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const named = tf.io.decodeWeights(buffer, specs);
  const tensors = new Map(Object.entries(named));
  return { step: (state as { step: number }).step, tensors, state: state as Record<string, unknown>, path: folder };
}

function basenameOf(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}
