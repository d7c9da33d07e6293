/// <reference lib="dom" />
/**
 * The browser build's `#checkpoint-files`: the checkpoint store the Trainer and fineTune write
 * to and resume from, in IndexedDB, with the guarantees of the folders on disk
 * (`checkpoint-files.ts`) and the same functions, so the Trainer's code is the same in both.
 * `checkpointDir` names a store inside the database, not a folder.
 *
 * Database `autodidact-checkpoints`, two object stores:
 * ```
 * checkpoints  [dir, step, tag] -> { weights.bin (ArrayBuffer), weights.json, state.json, SHA256SUMS }
 * pointers     dir              -> { step, tag }   (the disk store's `latest` file)
 * ```
 * Atomic: a save writes the whole checkpoint under a new key in one transaction, and only then
 * switches the pointer (and removes old checkpoints) in a second one; IndexedDB transactions
 * are all-or-nothing, so a tab closed at any point leaves the previous checkpoint loadable.
 * Verified: SHA256SUMS holds the sha256 of the three payloads in sha256sum's format, as on
 * disk; loading checks it, the sizes, the JSON and finite float values, and
 * {@link loadLatestGoodCheckpoint} passes a damaged checkpoint over for the newest intact one.
 */
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, ConfigError } from '../errors.js';
import { CHECKPOINT_FILES, checkpointFolderName } from './checkpoint-layout.js';
import { checkpointPayload } from './checkpoint-payload.js';
import { DTYPE_BYTES, firstNonFiniteWeight } from './finite-weights.js';
import type {
  loadLatestGoodCheckpoint as DiskLoadLatest,
  LoadedCheckpoint,
  SkippedCheckpoint,
} from './load-checkpoint.js';
import type { saveCheckpoint as DiskSave } from './save-checkpoint.js';

/** The IndexedDB database holding every browser checkpoint store. */
export const CHECKPOINT_DATABASE = 'autodidact-checkpoints';
const CHECKPOINTS = 'checkpoints';
const POINTERS = 'pointers';

/** One checkpoint as stored: the disk folder's four files. */
interface StoredCheckpoint {
  step: number;
  files: {
    [CHECKPOINT_FILES.weights]: ArrayBuffer;
    [CHECKPOINT_FILES.manifest]: string;
    [CHECKPOINT_FILES.state]: string;
    [CHECKPOINT_FILES.checksums]: string;
  };
}
type Key = [string, number, string];

function openDatabase(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    throw new ConfigError('checkpoints in a browser build need IndexedDB, which this environment lacks', {
      field: 'checkpointDir',
    });
  }
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(CHECKPOINT_DATABASE, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(CHECKPOINTS);
      req.result.createObjectStore(POINTERS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function result<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}

/** Every key of `dir`'s checkpoints, newest step first. */
async function keysOf(db: IDBDatabase, dir: string): Promise<Key[]> {
  const tx = db.transaction(CHECKPOINTS, 'readonly');
  // [dir] < [dir, step, tag] < [dir, []]: an array sorts after every number.
  const keys = await result<IDBValidKey[]>(tx.objectStore(CHECKPOINTS).getAllKeys(IDBKeyRange.bound([dir], [dir, []])));
  return (keys as Key[]).sort((a, b) => b[1] - a[1]);
}

/** Where a checkpoint is, for messages and `TrainResult.checkpoint`: `indexeddb:<dir>/step-000123`. */
function pathOf(dir: string, step: number): string {
  return `indexeddb:${dir}/${checkpointFolderName(step)}`;
}

async function sha256Hex(content: ArrayBuffer | string): Promise<string> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Writes the checkpoint at `data.step` into the IndexedDB store `dir`: the tensors as a tfjs
 * weights manifest + bytes, the state JSON and their sha256 sums under a new key in one
 * transaction, then, in a second, points `dir` at it and removes checkpoints beyond `keep`
 * (the newest earlier ones stay) and any of later steps. A float tensor holding NaN or Inf is
 * refused (a NumericalError naming it) before anything is written. Returns the checkpoint's
 * path (`indexeddb:<dir>/step-000123`).
 */
export const saveCheckpoint: typeof DiskSave = async (dir, data, options = {}) => {
  const { keep, files: payload } = await checkpointPayload(data, options);
  const sums = await Promise.all(payload.map(async ([file, c]) => `${await sha256Hex(c)}  ${file}\n`));
  const record = {
    step: data.step,
    files: { ...Object.fromEntries(payload), [CHECKPOINT_FILES.checksums]: sums.join('') },
  } as StoredCheckpoint;
  const tag = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const key: Key = [dir, data.step, tag];
  const db = await openDatabase();
  try {
    const write = db.transaction(CHECKPOINTS, 'readwrite', { durability: 'strict' });
    write.objectStore(CHECKPOINTS).put(record, key);
    await done(write);
    // Only a complete checkpoint is ever pointed at.
    const older = (await keysOf(db, dir)).filter((k) => k[2] !== tag);
    const earlier = older.filter((k) => k[1] < data.step);
    const doomed = [...older.filter((k) => k[1] >= data.step), ...earlier.slice(keep - 1)];
    const swap = db.transaction([CHECKPOINTS, POINTERS], 'readwrite', { durability: 'strict' });
    swap.objectStore(POINTERS).put({ step: data.step, tag }, dir);
    for (const k of doomed) swap.objectStore(CHECKPOINTS).delete(k);
    await done(swap);
  } finally {
    db.close();
  }
  return pathOf(dir, data.step);
};

/** Reads and verifies one stored checkpoint; any problem is a CheckpointError naming it. */
async function verify(record: StoredCheckpoint | undefined, path: string, step: number): Promise<LoadedCheckpoint> {
  const files = record?.files;
  if (!files) throw new CheckpointError('missing (removed while being read?)', { path });
  const sums = files[CHECKPOINT_FILES.checksums];
  if (typeof sums !== 'string') throw new CheckpointError(`missing ${CHECKPOINT_FILES.checksums}`, { path });
  for (const line of sums.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m)
      throw new CheckpointError(`${CHECKPOINT_FILES.checksums}: not a sha256sum line: ${JSON.stringify(line)}`, {
        path,
      });
    const content = (files as unknown as Record<string, ArrayBuffer | string | undefined>)[m[2]!];
    if (content === undefined) {
      throw new CheckpointError(`missing ${m[2]} (listed in ${CHECKPOINT_FILES.checksums})`, { path });
    }
    if ((await sha256Hex(content)) !== m[1]) {
      throw new CheckpointError(`${m[2]} does not match its sha256 in ${CHECKPOINT_FILES.checksums} (corrupted)`, {
        path,
      });
    }
  }
  const parse = (name: string): unknown => {
    const text = (files as unknown as Record<string, unknown>)[name];
    if (typeof text !== 'string') throw new CheckpointError(`missing ${name}`, { path });
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CheckpointError(`${name} is not valid JSON (truncated?)`, { path, cause: err });
    }
  };
  const state = parse(CHECKPOINT_FILES.state) as { step?: unknown } | null;
  if (typeof state !== 'object' || state === null || typeof state.step !== 'number') {
    throw new CheckpointError(`${CHECKPOINT_FILES.state} has no numeric 'step'`, { path });
  }
  if (state.step !== step) {
    throw new CheckpointError(`${CHECKPOINT_FILES.state} says step ${state.step}, the record is step ${step}`, {
      path,
    });
  }
  const manifest = parse(CHECKPOINT_FILES.manifest) as tf.io.WeightsManifestConfig;
  const specs = Array.isArray(manifest) ? manifest.flatMap((g) => (Array.isArray(g?.weights) ? g.weights : [])) : [];
  for (const w of specs) {
    if (
      typeof w?.name !== 'string' ||
      !Array.isArray(w.shape) ||
      !w.shape.every((d: number) => Number.isInteger(d) && d >= 0) ||
      DTYPE_BYTES[w.dtype] === undefined
    ) {
      throw new CheckpointError(`${CHECKPOINT_FILES.manifest}: bad entry ${JSON.stringify(w)}`, { path });
    }
  }
  const bin = files[CHECKPOINT_FILES.weights];
  if (!(bin instanceof ArrayBuffer)) throw new CheckpointError(`missing ${CHECKPOINT_FILES.weights}`, { path });
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype]!, 0);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(
      `${CHECKPOINT_FILES.weights} has ${bin.byteLength} bytes, the manifest describes ${expected} (truncated or mismatched)`,
      { path },
    );
  }
  const bad = firstNonFiniteWeight(bin, specs);
  if (bad !== undefined) throw new CheckpointError(`tensor '${bad}' holds NaN or infinite values`, { path });
  const tensors = new Map(Object.entries(tf.io.decodeWeights(bin, specs)));
  return { step, tensors, state: state as Record<string, unknown>, path };
}

/**
 * The newest checkpoint of the store `dir` that verifies and that `validate` accepts, with the
 * newer ones passed over and why, as the disk store's: the checkpoint the pointer names first,
 * then every other from the highest step down. `checkpoint` is undefined when the store holds
 * none (nothing skipped) or none is intact (all skipped).
 */
export const loadLatestGoodCheckpoint: typeof DiskLoadLatest = async (dir, options = {}) => {
  const skipped: SkippedCheckpoint[] = [];
  const db = await openDatabase();
  try {
    const keys = await keysOf(db, dir);
    const pointer = await result<{ step?: unknown; tag?: unknown } | undefined>(
      db.transaction(POINTERS, 'readonly').objectStore(POINTERS).get(dir),
    );
    const named = pointer ? keys.find((k) => k[1] === pointer.step && k[2] === pointer.tag) : undefined;
    if (pointer && !named && keys.length === 0) {
      skipped.push({
        path: `indexeddb:${dir}`,
        reason: `the pointer names step ${String(pointer.step)}, which does not exist`,
      });
    }
    const candidates = named ? [named, ...keys.filter((k) => k !== named)] : keys;
    for (const key of candidates) {
      const path = pathOf(dir, key[1]);
      let ck: LoadedCheckpoint | undefined;
      try {
        const record = await result<StoredCheckpoint | undefined>(
          db.transaction(CHECKPOINTS, 'readonly').objectStore(CHECKPOINTS).get(key),
        );
        ck = await verify(record, path, key[1]);
        options.validate?.(ck);
        return { checkpoint: ck, skipped };
      } catch (err) {
        if (ck) tf.dispose([...ck.tensors.values()]);
        if (!(err instanceof CheckpointError)) throw err;
        const prefix = `${path}: `;
        skipped.push({ path, reason: err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message });
      }
    }
    return { skipped };
  } finally {
    db.close();
  }
};
