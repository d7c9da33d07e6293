/**
 * Listing data folders the same way in every loader (Node only). Symbolic links are followed, to
 * files and to folders, because data sets are often assembled from links (the text package's own
 * default data is); a link that leads back into a folder being read (a loop) or to a folder read
 * already is left out with a note instead of recursing forever. Entries that cannot be read (a
 * broken link, a link loop, a FIFO or a device under a data file's name) are bad files for the
 * caller's {@link BadFiles} policy. Names starting with '.' are never read. Lists are sorted, so
 * runs repeat.
 */
import { lstatSync, openSync, readdirSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '../errors.js';
import type { BadFiles } from './bad-files.js';

/** One entry of a folder after following symbolic links. */
export interface DirEntry {
  name: string;
  path: string;
  /** `file` (regular), `dir`, `other` (FIFO, socket, device) or `broken` (cannot be followed or read). */
  kind: 'file' | 'dir' | 'other' | 'broken';
  /** Why a `broken` or `other` entry cannot be read, as a bad-file error. */
  error?: DataFormatError;
  /** The followed stat of files and folders. */
  stats?: Stats;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ELOOP: 'a symbolic link loop',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a path component is not a folder',
  EIO: 'input/output error',
};

/** A file system error on `file` as a bad-file DataFormatError (`unreadable`). */
export function unreadableFileError(file: string, err: unknown): DataFormatError {
  if (err instanceof DataFormatError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') {
    // A name that exists but leads nowhere is a broken symbolic link: say where it points.
    try {
      if (lstatSync(file).isSymbolicLink()) {
        return new DataFormatError(`a broken symbolic link (to ${readlinkSync(file)}, which does not exist)`, {
          file,
          cause: err,
          reason: 'unreadable',
        });
      }
    } catch {
      // not there at all
    }
  }
  const text = (code && ERRNO_TEXT[code]) ?? `cannot read (${code ?? (err as Error)?.message ?? String(err)})`;
  return new DataFormatError(code && ERRNO_TEXT[code] ? `${text} (${code})` : text, {
    file,
    cause: err,
    reason: 'unreadable',
  });
}

function kindOfSpecial(s: Stats): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Checks that `file` is a readable, non-empty regular file before a reader opens it (a FIFO would
 * block the reader forever). Returns its size.
 * @throws DataFormatError with reason `unreadable` (missing, a FIFO, a link loop) or `empty`.
 */
export function checkDataFile(file: string): number {
  let s: Stats;
  try {
    s = statSync(file);
  } catch (err) {
    throw unreadableFileError(file, err);
  }
  if (s.isDirectory()) throw new DataFormatError('is a folder, not a file', { file, reason: 'unreadable' });
  if (!s.isFile()) throw new DataFormatError(`${kindOfSpecial(s)}, not a regular file`, { file, reason: 'unreadable' });
  if (s.size === 0) throw new DataFormatError('empty file (0 bytes)', { file, reason: 'empty' });
  return s.size;
}

/**
 * Opens a data file to read it, after {@link checkDataFile} (so never a blocking open of a FIFO).
 * Returns the descriptor; the caller closes it.
 * @throws DataFormatError with reason `unreadable` (missing, not a regular file, no permission) or `empty`.
 */
export function openDataFile(file: string): number {
  checkDataFile(file);
  try {
    return openSync(file, 'r');
  } catch (err) {
    throw unreadableFileError(file, err);
  }
}

/** The entries of one folder, sorted by name, hidden ones left out, symbolic links followed. */
export function readDirEntries(dir: string): DirEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataFormatError('no such file or folder', { file: dir, cause: err });
    if (code === 'ENOTDIR') throw new DataFormatError('not a folder', { file: dir, cause: err });
    throw new DataFormatError(`cannot list folder (${ERRNO_TEXT[code ?? ''] ?? code})`, { file: dir, cause: err });
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((name): DirEntry => {
      const path = join(dir, name);
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch (err) {
        return { name, path, kind: 'broken', error: unreadableFileError(path, err) };
      }
      if (stats.isDirectory()) return { name, path, kind: 'dir', stats };
      if (stats.isFile()) return { name, path, kind: 'file', stats };
      return {
        name,
        path,
        kind: 'other',
        stats,
        error: new DataFormatError(`${kindOfSpecial(stats)}, not a regular file`, { file: path, reason: 'unreadable' }),
      };
    });
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Keeps a file by its name (e.g. its extension). Unreadable entries are reported only if their name passes. */
  accept: (name: string) => boolean;
  /** Where unreadable entries go (skipped and counted, or a stop with `strict`). Without it they throw. */
  badFiles?: BadFiles;
  /** Notes on folders left out (a link back into a folder being read). */
  log?: (line: string) => void;
}

/** Walks a folder tree, following links with loop detection. */
export class FolderWalker {
  /** Folders read, by device and inode, with the path they were first read under. */
  private readonly seen = new Map<string, string>();
  constructor(private readonly options: WalkOptions) {}

  /**
   * Marks `dir` as being read and returns its key (device and inode): pass the keys of the
   * folders above a walk as its `ancestors`, so links back to them are told as loops.
   */
  mark(dir: string): string {
    const s = statSync(dir);
    const key = `${s.dev}:${s.ino}`;
    if (!this.seen.has(key)) this.seen.set(key, dir);
    return key;
  }

  /** The accepted files under `dir` (recursively), sorted folder by folder, appended to `out`. */
  files(dir: string, out: string[] = [], ancestors: readonly string[] = []): string[] {
    const key = this.mark(dir);
    this.walk(dir, out, [...ancestors, key]);
    return out;
  }

  /**
   * Whether the folder `entry` should be walked: false (with a note) when it leads back into a
   * folder being read or to one read already.
   */
  enter(entry: DirEntry, ancestors: readonly string[] = []): boolean {
    const key = `${entry.stats!.dev}:${entry.stats!.ino}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      this.options.log?.(
        ancestors.includes(key)
          ? `left out ${entry.path}: a symbolic link back to ${first} (a loop)`
          : `left out ${entry.path}: the same folder as ${first}, read once`,
      );
      return false;
    }
    this.seen.set(key, entry.path);
    return true;
  }

  /** A bad entry under an accepted name: skipped (or a stop) through the policy, else thrown. */
  bad(entry: DirEntry): void {
    const err = entry.error!;
    if (!this.options.badFiles) throw err;
    this.options.badFiles.consider();
    this.options.badFiles.skip(err);
  }

  private walk(dir: string, out: string[], ancestors: string[]): void {
    for (const e of readDirEntries(dir)) {
      if (e.kind === 'dir') {
        if (!this.enter(e, ancestors)) continue;
        const key = `${e.stats!.dev}:${e.stats!.ino}`;
        this.walk(e.path, out, [...ancestors, key]);
      } else if (this.options.accept(e.name)) {
        if (e.kind === 'file') out.push(e.path);
        else this.bad(e);
      }
    }
  }
}

/**
 * The accepted files under `root` (a folder, searched recursively; or a file, returned as is),
 * following symbolic links with loop detection; unreadable entries go to `options.badFiles`.
 */
export function walkFiles(root: string, options: WalkOptions): string[] {
  let s: Stats;
  try {
    s = statSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataFormatError('no such file or folder', { file: root, cause: err });
    throw unreadableFileError(root, err);
  }
  if (!s.isDirectory()) return [root];
  return new FolderWalker(options).files(root);
}
