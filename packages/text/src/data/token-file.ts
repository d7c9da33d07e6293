/**
 * A corpus tokenised once into a binary file of token ids (nanoGPT's `train.bin`): every file's
 * lines are encoded in path order, each file closed by the end-of-text id, the ids written as
 * little-endian uint16 (vocabularies up to 65,536) or uint32. The file lies in the per-user
 * cache (`<cache>/tokens/<corpus>-<hash>/`, core's `cacheDirFor`), named by a key over the
 * tokenizer (sha256 of its JSON and its end-of-text id) and the corpus files (core's file index:
 * path, size, modification time and a content fingerprint of each), so a changed, added or
 * removed file, or another tokenizer, writes a new token file and the old one is deleted.
 *
 * Bad files (unreadable, not UTF-8, cut short) follow the caller's BadFiles policy while the
 * corpus is tokenised: a skipped file's ids are dropped, and the skip is recorded beside the
 * token file, so a later run that reuses the file reports the same skips. Memory stays bounded
 * by one write buffer, whatever the corpus's size. Node-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BadFileReason,
  type BadFiles,
  cacheDirFor,
  DataFormatError,
  ensurePrivateDir,
  openFileIndex,
  writeFileAtomic,
} from '@autodidact/core';
import { readFileLines } from '../tokenize/corpus-reader.js';
import type { ActiveTokenizer } from './active-tokenizer.js';
import { bytesPerToken, type TokenDType } from './token-window-reader.js';

/** A corpus's token file, as recorded beside it. */
export interface TokenFile {
  /** The binary file of ids. */
  file: string;
  dtype: TokenDType;
  /** Ids in the file. */
  count: number;
  /** Files tokenised, and their first id, in order (for messages). */
  files: { path: string; start: number }[];
  /** Files skipped as bad when the corpus was tokenised. */
  skipped: { file: string; reason: BadFileReason; message: string }[];
  /** True when this load wrote the file (false: an earlier one's was reused). */
  built: boolean;
}

interface Manifest {
  format: 'autodidact-token-file';
  version: 1;
  key: string;
  dtype: TokenDType;
  count: number;
  files: { path: string; start: number }[];
  skipped: TokenFile['skipped'];
}

/** Options of {@link tokenFileFor}. */
export interface TokenFileOptions {
  /** Bad-file policy while tokenising; without it the first bad file throws. */
  badFiles?: BadFiles;
  /** Progress and cache notes, one line each. */
  say?: (line: string) => void;
  /** Where the token files live. Default `cacheDirFor('tokens', root)`. */
  cacheDir?: string;
}

/** Ids buffered before a write. */
const WRITE_IDS = 1 << 20;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The token file of `files` (the corpus under `root`) for tokenizer `t`: the cached one when its
 * key matches, else the corpus tokenised now.
 */
export async function tokenFileFor(
  root: string,
  files: readonly string[],
  t: ActiveTokenizer,
  options: TokenFileOptions = {},
): Promise<TokenFile> {
  const say = options.say ?? (() => undefined);
  const dir = await ensurePrivateDir(options.cacheDir ?? cacheDirFor('tokens', root));
  const { index } = await openFileIndex({
    root,
    kind: 'text-corpus',
    list: async () => [...files],
    cacheDir: join(dir, 'index'),
    // Changes are worth a line; building the index is not.
    say: (line) => (line.startsWith('indexed ') ? undefined : say(line)),
  });
  // A tokenizer without a JSON form cannot be named: its token file is written afresh every time.
  const tokenizerKey = t.json ? sha256(JSON.stringify(t.json)) : randomBytes(16).toString('hex');
  const key = sha256(
    JSON.stringify({
      format: 1,
      tokenizer: tokenizerKey,
      eos: t.eosId,
      files: index.paths.map((p, i) => [p, index.sizes[i], index.mtimes[i], index.fingerprints[i]]),
    }),
  ).slice(0, 32);
  const manifestPath = join(dir, `${key}.json`);
  const binPath = join(dir, `${key}.bin`);
  const cached = readManifest(manifestPath, key, binPath);
  if (cached) {
    for (const s of cached.skipped) {
      options.badFiles?.consider();
      options.badFiles?.skip(new DataFormatError(s.message, { file: s.file, reason: s.reason }));
    }
    options.badFiles?.consider(cached.files.length);
    return {
      file: binPath,
      dtype: cached.dtype,
      count: cached.count,
      files: cached.files,
      skipped: cached.skipped,
      built: false,
    };
  }

  const vocab = t.tokenizer.vocabSize;
  const dtype: TokenDType = vocab <= 65_536 ? 'uint16' : 'uint32';
  const bytes = bytesPerToken(dtype);
  const tmp = `${binPath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  const buf = Buffer.alloc(WRITE_IDS * bytes);
  let buffered = 0;
  let written = 0; // ids on disk
  const flush = () => {
    if (buffered) writeSync(fd, buf, 0, buffered * bytes, written * bytes);
    written += buffered;
    buffered = 0;
  };
  const push = (id: number) => {
    if (dtype === 'uint16') buf.writeUInt16LE(id, buffered * 2);
    else buf.writeUInt32LE(id, buffered * 4);
    if (++buffered === WRITE_IDS) flush();
  };
  const done: { path: string; start: number }[] = [];
  const skipped: TokenFile['skipped'] = [];
  const total = files.reduce((a, f) => a + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
  let readBytes = 0;
  let lastSay = Date.now();
  try {
    for (const f of files) {
      const start = written + buffered;
      const encodeFile = async () => {
        for await (const line of readFileLines(f)) for (const id of t.tokenizer.encode(`${line}\n`)) push(id);
        push(t.eosId);
      };
      let ok: boolean;
      if (options.badFiles) {
        ok = await options.badFiles
          .attempt(async () => {
            await encodeFile();
            return true;
          })
          .then((r) => r === true);
        if (!ok) {
          const s = options.badFiles.skipped.at(-1)!;
          skipped.push({ file: s.file, reason: s.reason, message: s.message });
        }
      } else {
        await encodeFile();
        ok = true;
      }
      if (!ok) {
        // Drop the bad file's ids: back to where it started.
        if (start < written) {
          written = start;
          buffered = 0;
        } else buffered = start - written;
        continue;
      }
      done.push({ path: f, start });
      readBytes += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
      if (Date.now() - lastSay > 10_000) {
        say(
          `tokenising ${root}: ${((100 * readBytes) / Math.max(1, total)).toFixed(0)}% (${written + buffered} tokens)`,
        );
        lastSay = Date.now();
      }
    }
    flush();
    ftruncateSync(fd, written * bytes);
  } finally {
    closeSync(fd);
  }
  try {
    await rename(tmp, binPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const manifest: Manifest = {
    format: 'autodidact-token-file',
    version: 1,
    key,
    dtype,
    count: written,
    files: done,
    skipped,
  };
  await writeFileAtomic(manifestPath, JSON.stringify(manifest));
  // Token files of earlier versions of this corpus or of other tokenizers are not kept.
  for (const name of await readdir(dir)) {
    if (/^[0-9a-f]{32}\.(bin|json)$/.test(name) && !name.startsWith(key)) await rm(join(dir, name), { force: true });
  }
  say(`tokenised ${done.length} file(s) of ${root}: ${written} tokens (${dtype}) in ${binPath}`);
  return { file: binPath, dtype, count: written, files: done, skipped, built: true };
}

/** The manifest at `path` when it is this key's and its token file has the recorded size. */
function readManifest(path: string, key: string, bin: string): Manifest | undefined {
  if (!existsSync(path) || !existsSync(bin)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (m.format !== 'autodidact-token-file' || m.version !== 1 || m.key !== key) return undefined;
    if (statSync(bin).size !== m.count * bytesPerToken(m.dtype)) return undefined;
    return m;
  } catch {
    return undefined;
  }
}
