import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import { CHECKPOINT_FILES, parseCheckpointFolderName } from './checkpoint-layout.js';
import { DTYPE_BYTES, firstNonFiniteWeight } from './finite-weights.js';

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
 * Reads and verifies a checkpoint: either a checkpoint folder (`.../step-000123`) or a
 * checkpoint directory, whose latest checkpoint is taken. Any problem is a CheckpointError
 * naming the path and the problem: no checkpoint, a missing file, invalid JSON, a weights file
 * shorter or longer than its manifest says, a file that does not match its sha256 in
 * `SHA256SUMS` (checkpoints written before checksums existed have none and skip this), or a
 * float tensor holding NaN or Inf. See {@link loadLatestGoodCheckpoint} to fall back to an
 * older checkpoint when the newest is damaged.
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let folder = path;
  if (!(await isFile(join(path, CHECKPOINT_FILES.state))) && parseCheckpointFolderName(basename(path)) === undefined) {
    const latest = await findLatestCheckpoint(path);
    if (!latest) throw new CheckpointError('no checkpoint found (no step-* folder)', { path });
    folder = latest;
  }
  const seen = new Map<string, Buffer>(); // files read, for the checksums
  const read = async (name: string): Promise<Buffer> => {
    try {
      const content = seen.get(name) ?? (await readFile(join(folder, name)));
      seen.set(name, content);
      return content;
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
  const folderStep = parseCheckpointFolderName(basename(folder));
  if (folderStep !== undefined && folderStep !== (state as { step: number }).step) {
    throw new CheckpointError(
      `${CHECKPOINT_FILES.state} says step ${(state as { step: number }).step}, the folder is step ${folderStep}`,
      { path: folder },
    );
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
    for (const p of group.paths) {
      if (typeof p !== 'string' || p !== basename(p) || p === '..' || p === '.') {
        throw new CheckpointError(
          `${CHECKPOINT_FILES.manifest}: weights path ${JSON.stringify(p)} is not a file name`,
          {
            path: folder,
          },
        );
      }
      chunks.push(await read(p));
    }
    for (const w of group.weights) {
      if (
        typeof w?.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d: number) => Number.isInteger(d) && d >= 0) ||
        DTYPE_BYTES[w.dtype] === undefined
      ) {
        throw new CheckpointError(`${CHECKPOINT_FILES.manifest}: bad entry ${JSON.stringify(w)}`, { path: folder });
      }
      specs.push(w);
    }
  }
  const bin = Buffer.concat(chunks);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype]!, 0);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(
      `${CHECKPOINT_FILES.weights} has ${bin.byteLength} bytes, the manifest describes ${expected} (truncated or mismatched)`,
      { path: folder },
    );
  }
  await verifyChecksums(folder, seen);
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const bad = firstNonFiniteWeight(buffer, specs);
  if (bad !== undefined) {
    throw new CheckpointError(`tensor '${bad}' holds NaN or infinite values`, { path: folder });
  }
  const named = tf.io.decodeWeights(buffer, specs);
  const tensors = new Map(Object.entries(named));
  return { step: (state as { step: number }).step, tensors, state: state as Record<string, unknown>, path: folder };
}

/**
 * Checks every file listed in the folder's `SHA256SUMS` against its sha256 (a folder without
 * the file predates checksums and passes).
 */
async function verifyChecksums(folder: string, seen: ReadonlyMap<string, Buffer>): Promise<void> {
  const sumsPath = join(folder, CHECKPOINT_FILES.checksums);
  if (!(await isFile(sumsPath))) return;
  const text = await readFile(sumsPath, 'utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m || m[2]!.includes('/') || m[2]!.includes('\\') || m[2] === '..') {
      throw new CheckpointError(`${CHECKPOINT_FILES.checksums}: not a sha256sum line: ${JSON.stringify(line)}`, {
        path: folder,
      });
    }
    let content: Buffer;
    try {
      content = seen.get(m[2]!) ?? (await readFile(join(folder, m[2]!)));
    } catch (err) {
      throw new CheckpointError(`missing ${m[2]} (listed in ${CHECKPOINT_FILES.checksums})`, {
        path: folder,
        cause: err,
      });
    }
    if (createHash('sha256').update(content).digest('hex') !== m[1]) {
      throw new CheckpointError(`${m[2]} does not match its sha256 in ${CHECKPOINT_FILES.checksums} (corrupted)`, {
        path: folder,
      });
    }
  }
}

/** A checkpoint passed over by {@link loadLatestGoodCheckpoint}, and why. */
export interface SkippedCheckpoint {
  path: string;
  /** The problem, without the path (e.g. `tensor 'w' holds NaN or infinite values`). */
  reason: string;
}

/**
 * The newest checkpoint of `dir` that loads and verifies (see {@link loadCheckpoint}) and that
 * `validate` accepts (it throws a CheckpointError for a state it cannot use), with the newer
 * ones passed over and why. The folder `latest` names is tried first, then every `step-*`
 * folder from the highest step down. `checkpoint` is undefined when the directory holds none
 * (nothing skipped) or none is intact (all skipped). Errors other than CheckpointErrors (an
 * unreadable disk) are thrown.
 */
export async function loadLatestGoodCheckpoint(
  dir: string,
  options: { validate?: (checkpoint: LoadedCheckpoint) => void } = {},
): Promise<{ checkpoint?: LoadedCheckpoint; skipped: SkippedCheckpoint[] }> {
  const skipped: SkippedCheckpoint[] = [];
  if (!(await isDir(dir))) return { skipped };
  const candidates: string[] = [];
  try {
    const latest = await findLatestCheckpoint(dir);
    if (latest) candidates.push(latest);
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    skipped.push({ path: err.path ?? dir, reason: reasonOf(err) });
  }
  const folders = (await readdir(dir))
    .map((e) => ({ e, step: parseCheckpointFolderName(e) }))
    .filter((x): x is { e: string; step: number } => x.step !== undefined)
    .sort((a, b) => b.step - a.step)
    .map((x) => join(dir, x.e));
  for (const f of folders) if (!candidates.includes(f) && (await isDir(f))) candidates.push(f);
  for (const folder of candidates) {
    let ck: LoadedCheckpoint | undefined;
    try {
      ck = await loadCheckpoint(folder);
      options.validate?.(ck);
      return { checkpoint: ck, skipped };
    } catch (err) {
      if (ck) tf.dispose([...ck.tensors.values()]);
      if (!(err instanceof CheckpointError)) throw err;
      skipped.push({ path: folder, reason: reasonOf(err) });
    }
  }
  return { skipped };
}

/** A CheckpointError's message without its leading `<path>: `. */
function reasonOf(err: CheckpointError): string {
  const prefix = err.path ? `${err.path}: ` : '';
  return prefix && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}
