import { createHash } from 'node:crypto';
import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../checkpoint/write-file-atomic.js';
import { ConfigError, DataFormatError } from '../../errors.js';
import { openDataFile, unreadableFileError } from '../../io/walk-files.js';
import type { JsonValue } from '../sample-reader.js';
import { cacheDirFor, ensurePrivateDir } from './cache-dir.js';

/**
 * An on-disk index of a data folder's files: relative path, size, modification time and a cheap
 * content fingerprint per file, plus optional per-file metadata a reader computes once (record
 * count, record offsets, ...). Kept in the per-user cache (`cacheDirFor('index/<kind>', root)`),
 * checked against the folder when opened, and rebuilt for the files that changed, or kept as it
 * was so the changed files' samples are skipped and counted (`stale: 'skip'`, which keeps every
 * sample's index, as a resumed run needs). Readers check each file's size and time again when
 * they read it ({@link FileIndex.checkStat}), so a file changed during a run is a counted skip,
 * not a crash. Node-only.
 */

/** What to do when files changed, vanished or appeared since the index was built. */
export type StalePolicy = 'rebuild' | 'skip';

/** Options of {@link openFileIndex}. */
export interface FileIndexOptions<M extends JsonValue = JsonValue> {
  /** The data folder (or file) the index is of. */
  root: string;
  /** The kind of index, e.g. `float32-files` or `image-folder`: part of the cache folder's name. */
  kind: string;
  /** Whatever changes the meaning of the metadata (record shape, tokenizer hash): a mismatch rebuilds. */
  params?: JsonValue;
  /** The data files now, as absolute paths or paths relative to `root`. Default: {@link listFiles}(root). */
  list?: () => Promise<string[]>;
  /** Per-file metadata, computed when a file is first indexed or has changed. */
  describe?: (path: string, size: number) => Promise<M> | M;
  /** Default `rebuild`. */
  stale?: StalePolicy;
  /** Where the index lives. Default `cacheDirFor('index/' + kind, root)`. */
  cacheDir?: string;
  /** Messages (index built, files changed). */
  say?: (line: string) => void;
}

/** What {@link openFileIndex} found. */
export interface FileIndexReport {
  /** `built`: no usable index; `fresh`: unchanged; `updated`: rebuilt for changes; `stale`: changes kept as skips. */
  status: 'built' | 'fresh' | 'updated' | 'stale';
  /** Files (relative paths) whose size or content changed. */
  changed: string[];
  /** Indexed files that are gone. */
  removed: string[];
  /** New files (indexed when rebuilt, ignored when stale). */
  added: string[];
  /** The index file. */
  file: string;
}

interface IndexFileJson {
  format: 'autodidact-file-index';
  version: 1;
  root: string;
  kind: string;
  params: JsonValue;
  files: { path: string[]; size: number[]; mtimeMs: number[]; fingerprint: string[]; meta?: JsonValue[] };
}

const FORMAT = 'autodidact-file-index';
const PROBE_BYTES = 4096;
/** The fingerprint of a file that could not be opened when indexed. */
const UNREADABLE = 'unreadable';

/** sha1 (first 16 hex) of a file's size, first 4 KiB and last 4 KiB: cheap, catches most rewrites. */
export async function fingerprintFile(path: string, size: number): Promise<string> {
  const h = createHash('sha1').update(String(size));
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(PROBE_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    h.update(head);
    if (size > PROBE_BYTES) {
      const tail = Buffer.alloc(Math.min(PROBE_BYTES, size - PROBE_BYTES));
      await fh.read(tail, 0, tail.length, size - tail.length);
      h.update(tail);
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Files under `root` (recursively; a file root lists itself), sorted by path, skipping names
 * starting with `.`; `accept` filters by path. Symbolic links to files are listed, links to
 * folders are not followed (no cycles).
 */
export async function listFiles(root: string, accept: (path: string) => boolean = () => true): Promise<string[]> {
  const top = resolve(root);
  const s = await stat(top);
  if (s.isFile()) return accept(top) ? [top] : [];
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && accept(p)) out.push(p);
      else if (e.isSymbolicLink() && accept(p)) {
        const t = await stat(p).catch(() => undefined);
        if (t?.isFile()) out.push(p);
      }
    }
  };
  await walk(top);
  return out.sort();
}

/** The index of one data folder. Columns are index-aligned: file `i` is `paths[i]`, ... */
export class FileIndex<M extends JsonValue = JsonValue> {
  private constructor(
    /** The index file this was read from or written to. */
    readonly file: string,
    /** Absolute data root. */
    readonly root: string,
    readonly kind: string,
    readonly params: JsonValue,
    /** Paths relative to `root`, `/`-separated, sorted. */
    readonly paths: readonly string[],
    readonly sizes: readonly number[],
    readonly mtimes: readonly number[],
    readonly fingerprints: readonly string[],
    /** Per-file metadata from `describe`, when given. */
    readonly meta: readonly M[] | undefined,
  ) {}

  /** Number of files. */
  get length(): number {
    return this.paths.length;
  }

  /** Absolute path of file `i`. */
  absolute(i: number): string {
    return this.root === this.paths[i] ? this.root : join(this.root, ...this.paths[i]!.split('/'));
  }

  /**
   * A DataFormatError if file `i` no longer has the size and time it was indexed with (call after
   * `fstat` of the opened file), else undefined.
   */
  checkStat(i: number, size: number, mtimeMs: number): DataFormatError | undefined {
    if (size === this.sizes[i] && mtimeMs === this.mtimes[i]) return undefined;
    return new DataFormatError(
      size !== this.sizes[i]
        ? `changed since indexing (${this.sizes[i]} bytes then, ${size} now)`
        : 'changed since indexing (modification time differs)',
      { file: this.absolute(i) },
    );
  }

  /**
   * Opens file `i` to read it, after checking that it is still the file that was indexed: gone,
   * a folder or FIFO now (never a blocking open), empty, unreadable, or changed in size or time
   * is a named DataFormatError. The caller closes `fd`.
   */
  openChecked(i: number): { fd: number; size: number } {
    const file = this.absolute(i);
    const fd = openDataFile(file);
    try {
      const s = fstatSync(fd);
      const changed = this.checkStat(i, s.size, s.mtimeMs);
      if (changed) throw changed;
      return { fd, size: s.size };
    } catch (err) {
      closeSync(fd);
      throw unreadableFileError(file, err);
    }
  }

  /** Reads an index file synchronously (a data worker's start). */
  static load<M extends JsonValue = JsonValue>(file: string): FileIndex<M> {
    let json: IndexFileJson;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as IndexFileJson;
    } catch (err) {
      throw new DataFormatError(`unreadable index: ${(err as Error).message.split('\n')[0]}`, { file, cause: err });
    }
    const index = FileIndex.fromJson<M>(file, json);
    if (!index) throw new DataFormatError('not an autodidact file index (or of another version)', { file });
    return index;
  }

  private static fromJson<M extends JsonValue>(file: string, j: IndexFileJson): FileIndex<M> | undefined {
    const f = j?.files;
    const n = f?.path?.length;
    if (
      j?.format !== FORMAT ||
      j.version !== 1 ||
      typeof j.root !== 'string' ||
      !Array.isArray(f?.path) ||
      ![f.size, f.mtimeMs, f.fingerprint].every((c) => Array.isArray(c) && c.length === n) ||
      (f.meta !== undefined && (!Array.isArray(f.meta) || f.meta.length !== n))
    ) {
      return undefined;
    }
    return new FileIndex<M>(
      file,
      j.root,
      j.kind,
      j.params ?? null,
      f.path,
      f.size,
      f.mtimeMs,
      f.fingerprint,
      f.meta as M[] | undefined,
    );
  }

  /** @internal */
  static create<M extends JsonValue>(
    file: string,
    root: string,
    kind: string,
    params: JsonValue,
    rows: { path: string; size: number; mtimeMs: number; fingerprint: string; meta?: M }[],
    withMeta: boolean,
  ): FileIndex<M> {
    return new FileIndex<M>(
      file,
      root,
      kind,
      params,
      rows.map((r) => r.path),
      rows.map((r) => r.size),
      rows.map((r) => r.mtimeMs),
      rows.map((r) => r.fingerprint),
      withMeta ? rows.map((r) => r.meta as M) : undefined,
    );
  }

  /** @internal */
  toJson(): IndexFileJson {
    return {
      format: FORMAT,
      version: 1,
      root: this.root,
      kind: this.kind,
      params: this.params,
      files: {
        path: [...this.paths],
        size: [...this.sizes],
        mtimeMs: [...this.mtimes],
        fingerprint: [...this.fingerprints],
        ...(this.meta ? { meta: [...this.meta] } : {}),
      },
    };
  }
}

/** The cached index in `file`, or undefined when absent, unreadable or of another root, kind or params. */
function readCached<M extends JsonValue>(
  file: string,
  root: string,
  kind: string,
  params: JsonValue,
): FileIndex<M> | undefined {
  let index: FileIndex<M>;
  try {
    index = FileIndex.load<M>(file);
  } catch {
    return undefined;
  }
  if (index.root !== root || index.kind !== kind) return undefined;
  return JSON.stringify(index.params) === JSON.stringify(params) ? index : undefined;
}

/**
 * Opens (or builds) the index of `options.root`: compares the cached index with the files now
 * there (size and modification time; the fingerprint only when the time moved but the size did
 * not, so a `touch` is not a change) and rebuilds what changed, or keeps the index as it was and
 * reports the changes (`stale: 'skip'`). One message names what changed.
 */
export async function openFileIndex<M extends JsonValue = JsonValue>(
  options: FileIndexOptions<M>,
): Promise<{ index: FileIndex<M>; report: FileIndexReport }> {
  const root = resolve(options.root);
  const kind = options.kind;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(kind)) {
    throw new ConfigError(`expected a lowercase name, got '${kind}'`, { field: 'index.kind' });
  }
  const params = options.params ?? null;
  const stalePolicy = options.stale ?? 'rebuild';
  const dir = await ensurePrivateDir(options.cacheDir ?? cacheDirFor(`index/${kind}`, root));
  const file = join(dir, 'index.json');
  const say = options.say ?? (() => undefined);
  const rel = (p: string) => {
    const abs = isAbsolute(p) ? p : join(root, p);
    const r = relative(root, abs);
    return r === '' ? root : r.split(sep).join('/');
  };
  const listed = (await (options.list ?? (() => listFiles(root)))()).map(rel);
  const now = [...new Set(listed)].sort();
  const cached = readCached<M>(file, root, kind, params);
  const withMeta = options.describe !== undefined;
  const absOf = (p: string) => (p === root ? root : join(root, ...p.split('/')));

  type Row = { path: string; size: number; mtimeMs: number; fingerprint: string; meta?: M };
  const fresh = async (path: string): Promise<Row> => {
    const abs = absOf(path);
    const s = await stat(abs);
    return {
      path,
      size: s.size,
      mtimeMs: s.mtimeMs,
      // A file that cannot be opened (no read permission) is indexed all the same: the reader's
      // open fails on it and the sample is a counted skip, as for any unreadable file.
      fingerprint: await fingerprintFile(abs, s.size).catch(() => UNREADABLE),
      ...(withMeta ? { meta: await options.describe!(abs, s.size) } : {}),
    };
  };

  if (!cached || (withMeta && !cached.meta)) {
    if (now.length > 10_000) say(`indexing ${now.length} files under ${root}`);
    const rows: Row[] = [];
    for (const p of now) rows.push(await fresh(p));
    const index = FileIndex.create<M>(file, root, kind, params, rows, withMeta);
    await writeFileAtomic(file, JSON.stringify(index.toJson()));
    say(`indexed ${rows.length} files under ${root} (index: ${file})`);
    return { index, report: { status: 'built', changed: [], removed: [], added: [], file } };
  }

  const nowSet = new Set(now);
  const pos = new Map(cached.paths.map((p, i) => [p, i] as const));
  const changed: string[] = [];
  const removed: string[] = [];
  const touched = new Map<number, number>(); // same content, new time
  for (const [i, p] of cached.paths.entries()) {
    if (!nowSet.has(p)) {
      removed.push(p);
      continue;
    }
    const s = await stat(absOf(p)).catch(() => undefined);
    if (!s) {
      removed.push(p);
      continue;
    }
    if (s.size === cached.sizes[i] && s.mtimeMs === cached.mtimes[i]) continue;
    if (
      s.size === cached.sizes[i] &&
      (await fingerprintFile(absOf(p), s.size).catch(() => UNREADABLE)) === cached.fingerprints[i]
    ) {
      touched.set(i, s.mtimeMs);
      continue;
    }
    changed.push(p);
  }
  const added = now.filter((p) => !pos.has(p));
  const rowOf = (i: number): Row => ({
    path: cached.paths[i]!,
    size: cached.sizes[i]!,
    mtimeMs: touched.get(i) ?? cached.mtimes[i]!,
    fingerprint: cached.fingerprints[i]!,
    ...(withMeta ? { meta: cached.meta![i]! } : {}),
  });
  /** The cached index with the touched files' new times, written back (same files, same positions). */
  const rewriteCached = async (): Promise<FileIndex<M>> => {
    const index = FileIndex.create<M>(
      file,
      root,
      kind,
      params,
      cached.paths.map((_, i) => rowOf(i)),
      withMeta,
    );
    await writeFileAtomic(file, JSON.stringify(index.toJson()));
    return index;
  };

  if (!changed.length && !removed.length && !added.length) {
    const index = touched.size ? await rewriteCached() : cached;
    return { index, report: { status: 'fresh', changed, removed, added, file } };
  }

  const what = [
    changed.length ? `${changed.length} changed (${changed[0]}${changed.length > 1 ? ', ...' : ''})` : '',
    removed.length ? `${removed.length} removed (${removed[0]}${removed.length > 1 ? ', ...' : ''})` : '',
    added.length ? `${added.length} added` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (stalePolicy === 'skip') {
    // Keep every file at its position so sample indices (and a checkpoint's data position) hold;
    // readers skip the changed and removed files' samples and count them.
    if (touched.size) await rewriteCached();
    say(
      `index of ${root} is stale: ${what}; their samples are skipped` +
        `${added.length ? ' and new files ignored' : ''} (rebuild the index to include them)`,
    );
    const index = touched.size ? FileIndex.load<M>(file) : cached;
    return { index, report: { status: 'stale', changed, removed, added, file } };
  }
  const changedSet = new Set(changed);
  const rows: Row[] = [];
  for (const p of now) {
    const i = pos.get(p);
    rows.push(i === undefined || changedSet.has(p) ? await fresh(p) : rowOf(i));
  }
  const index = FileIndex.create<M>(file, root, kind, params, rows, withMeta);
  await writeFileAtomic(file, JSON.stringify(index.toJson()));
  say(`index of ${root} updated: ${what}; now ${rows.length} files`);
  return { index, report: { status: 'updated', changed, removed, added, file } };
}
