/**
 * The tokenizer for a corpus: a `tokenizer.json` lying in the corpus folder (any Hugging Face
 * tokenizer, loaded through tokenizers.js), else a byte-level BPE trained on the corpus (or,
 * above `sampleBytes`, on an evenly spread sample of it, so the cost does not grow with the
 * corpus) and cached on disk, so a second run on the same data does not train again.
 *
 * The cache is the user's own: `$XDG_CACHE_HOME/autodidact/tokenizers` (default
 * `~/.cache/autodidact/tokenizers`), folders of mode 0700 and files of mode 0600; a folder
 * that another user owns or can write is not used at all (it could hold a planted tokenizer).
 * An entry is named by, and records, the sha256 of the text trained on and the training
 * settings, and the sha256 of the tokenizer it holds; one that does not verify (edited, cut
 * short, for other data) is trained again and replaced, never trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheRoot, unreadableFileError } from '@autodidact/core';
import { BpeTokenizer, type TokenizerJson } from '../tokenize/bpe-tokenizer.js';
import { decodeLines, listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
import { loadTokenizerJson } from '../tokenize/load-tokenizer-json.js';
import { trainBpe } from '../tokenize/train-bpe.js';
import { type ActiveTokenizer, describeTokenizer } from './active-tokenizer.js';

/** Options of {@link tokenizerForCorpus}. */
export interface CorpusTokenizerOptions {
  /** BPE vocabulary size when training. Default 4096. */
  vocabSize?: number;
  /**
   * Where trained vocabularies are cached. Default {@link defaultTokenizerCacheDir}
   * (`$XDG_CACHE_HOME/autodidact/tokenizers`, or `~/.cache/autodidact/tokenizers`).
   */
  cacheDir?: string;
  /** Train on at most this many files (the first in sorted order). Default all. */
  maxFiles?: number;
  /** Told when the cache is not used or an entry is rebuilt, and why (one line). Default: nothing. */
  onCacheNote?: (message: string) => void;
  /**
   * Train on at most about this many bytes of text: a larger corpus is sampled (evenly spaced
   * stretches of whole lines, see {@link corpusSample}), so the vocabulary costs the same on a
   * corpus of any size. Default {@link DEFAULT_SAMPLE_BYTES} (16 MiB).
   */
  sampleBytes?: number;
}

/** Bytes of text the vocabulary is trained on by default. */
export const DEFAULT_SAMPLE_BYTES = 16 * 2 ** 20;

/** `format` of a cache entry. */
const CACHE_FORMAT = 'autodidact-tokenizer-cache';
/** What trains the cached vocabularies; part of the key, so a new trainer never reads old entries. */
const TRAINER = 'bpe-v1';

/** A cache entry as written to `<cacheDir>/<key>.json`. */
interface CacheEntry {
  format: typeof CACHE_FORMAT;
  version: 1;
  /** sha256 of the settings and the corpus content: the file's name too. */
  key: string;
  settings: { trainer: string; vocabSize: number; maxFiles: number | null; sampleBytes: number };
  /** The text trained on: all of it, or (`sampled`) the sample's stretches. */
  corpus: { files: number; bytes: number; sha256: string; sampled?: true };
  /** sha256 of `JSON.stringify(tokenizer)`. */
  tokenizerSha256: string;
  tokenizer: TokenizerJson;
}

/** `tokenizers/` in the per-user cache folder (core's `cacheRoot`: AUTODIDACT_CACHE_DIR, XDG, ~/.cache). */
export function defaultTokenizerCacheDir(): string {
  return join(cacheRoot(), 'tokenizers');
}

/** Finds, loads or trains the tokenizer of `paths`. */
export async function tokenizerForCorpus(
  paths: readonly string[],
  o: CorpusTokenizerOptions = {},
): Promise<ActiveTokenizer> {
  for (const p of paths) {
    const candidate = (await stat(p)).isDirectory() ? join(p, 'tokenizer.json') : join(dirname(p), 'tokenizer.json');
    if (existsSync(candidate)) {
      const hf = await loadTokenizerJson(candidate);
      return describeTokenizer(hf, JSON.parse(await readFile(candidate, 'utf8')) as TokenizerJson);
    }
  }
  const files = (await listCorpusFiles(paths)).slice(0, o.maxFiles);
  const settings = {
    trainer: TRAINER,
    vocabSize: o.vocabSize ?? 4096,
    maxFiles: o.maxFiles ?? null,
    sampleBytes: o.sampleBytes ?? DEFAULT_SAMPLE_BYTES,
  };
  let total = 0;
  for (const f of files) total += (await stat(f).catch((err) => Promise.reject(unreadableFileError(f, err)))).size;
  // Small corpora train on everything (keyed by all their content); larger ones on a sample
  // (keyed by the sample's content, which is all the vocabulary depends on).
  const sample = total > settings.sampleBytes ? await corpusSample(files, settings.sampleBytes) : undefined;
  const corpus: CacheEntry['corpus'] = sample
    ? { files: files.length, bytes: sample.bytes, sha256: sample.sha256, sampled: true }
    : await corpusDigest(files);
  const key = createHash('sha256')
    .update(JSON.stringify({ settings, corpus: corpus.sha256 }))
    .digest('hex');
  const note = o.onCacheNote ?? (() => undefined);
  // Our own folders are checked: the given one, and for the default also its `autodidact` parent.
  const dir = o.cacheDir
    ? await privateCacheDir(o.cacheDir, [o.cacheDir], note)
    : await privateCacheDir(
        defaultTokenizerCacheDir(),
        [dirname(defaultTokenizerCacheDir()), defaultTokenizerCacheDir()],
        note,
      );
  const entryPath = dir ? join(dir, `${key.slice(0, 32)}.json`) : undefined;
  if (entryPath && existsSync(entryPath)) {
    const problem = await readEntry(entryPath, key, settings, corpus);
    if (typeof problem !== 'string') return describeTokenizer(problem, problem.toJSON());
    note(`tokenizer cache ${entryPath} ${problem}; training the tokenizer again`);
  }
  async function* lines(): AsyncGenerator<string> {
    if (sample) yield* sample.lines;
    else for (const f of files) yield* readFileLines(f);
  }
  const tok = await trainBpe(lines(), { vocabSize: settings.vocabSize });
  if (entryPath) {
    const tokenizer = tok.toJSON();
    const entry: CacheEntry = {
      format: CACHE_FORMAT,
      version: 1,
      key,
      settings,
      corpus,
      tokenizerSha256: sha256(JSON.stringify(tokenizer)),
      tokenizer,
    };
    try {
      await writePrivateFile(entryPath, JSON.stringify(entry));
    } catch (err) {
      note(`tokenizer cache ${entryPath} not written (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  }
  return describeTokenizer(tok, tok.toJSON());
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 over the files' contents in order (each length-prefixed), their count and total size. */
async function corpusDigest(files: readonly string[]): Promise<CacheEntry['corpus']> {
  const h = createHash('sha256');
  let bytes = 0;
  for (const f of files) {
    const fh = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(f)) {
        fh.update(chunk as Buffer);
        size += (chunk as Buffer).byteLength;
      }
    } catch (err) {
      // a file that cannot be read is a bad file for the caller's policy, named
      throw unreadableFileError(f, err);
    }
    h.update(`${size} ${fh.digest('hex')}\n`);
    bytes += size;
  }
  return { files: files.length, bytes, sha256: h.digest('hex') };
}

/** Bytes per stretch of a corpus sample. */
const SAMPLE_CHUNK = 2 ** 20;

/**
 * About `maxBytes` of a corpus's text, as whole lines: stretches of up to 1 MiB at evenly spaced
 * points of the corpus (its files laid end to end), each starting after a line break and ending
 * at one, so every part of the corpus is represented, not only its first files. A gzipped file
 * gives the head of its text for its share (it cannot be read at an offset). The lines are held
 * in memory (bounded by `maxBytes`); `sha256` is over the sampled bytes.
 */
export async function corpusSample(
  files: readonly string[],
  maxBytes: number,
): Promise<{ lines: string[]; bytes: number; sha256: string }> {
  const sizes: number[] = [];
  for (const f of files) sizes.push((await stat(f)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const chunk = Math.max(1, Math.min(SAMPLE_CHUNK, Math.floor(maxBytes / 8)));
  const n = Math.max(1, Math.ceil(maxBytes / chunk));
  // Stretch k starts near (k + 0.5) / n of the way through the corpus.
  const want = new Map<number, number[]>(); // file -> offsets of its stretches
  let f = 0;
  let before = 0;
  for (let k = 0; k < n; k++) {
    const at = Math.floor(((k + 0.5) * total) / n);
    while (f < files.length - 1 && at >= before + sizes[f]!) before += sizes[f++]!;
    const list = want.get(f) ?? [];
    list.push(Math.max(0, at - before - (chunk >> 1)));
    want.set(f, list);
  }
  const h = createHash('sha256');
  const lines: string[] = [];
  let bytes = 0;
  for (const [i, offsets] of [...want.entries()].sort((a, b) => a[0] - b[0])) {
    const file = files[i]!;
    h.update(`${file.length}:${file}\n`);
    if (/\.(gz|dz)$/i.test(file)) {
      let got = 0;
      for await (const line of readFileLines(file)) {
        lines.push(line);
        h.update(`${line}\n`);
        got += Buffer.byteLength(line) + 1;
        if (got >= offsets.length * chunk) break;
      }
      bytes += got;
      continue;
    }
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      throw unreadableFileError(file, err);
    }
    try {
      let end = 0; // stretches never overlap
      for (const offset of offsets) {
        const from = Math.max(offset, end);
        if (from >= sizes[i]!) break;
        const buf = Buffer.alloc(Math.min(chunk, sizes[i]! - from));
        const { bytesRead } = await fh.read(buf, 0, buf.length, from);
        end = from + bytesRead;
        let s = 0;
        if (from > 0) {
          // Start after a line break (the first line may be cut).
          const nl = buf.indexOf(10);
          if (nl < 0 || nl + 1 >= bytesRead) continue;
          s = nl + 1;
        }
        let e = bytesRead;
        if (end < sizes[i]!) {
          const nl = buf.lastIndexOf(10, bytesRead - 1);
          if (nl < s) continue;
          e = nl + 1;
          end = from + e;
        }
        const piece = buf.subarray(s, e);
        h.update(piece);
        bytes += piece.length;
        lines.push(...decodeLines([piece], file));
      }
    } finally {
      await fh.close();
    }
  }
  return { lines, bytes, sha256: h.digest('hex') };
}

/**
 * `dir`, created with mode 0700 where missing, when each of `own` (the cache's own folders:
 * `dir` and, for the default, its `autodidact` parent) is a plain folder of this user (one that
 * others can write is narrowed to 0700); undefined (no caching, with a note why) when another
 * user owns one of them or it is not a plain folder.
 */
async function privateCacheDir(
  dir: string,
  own: readonly string[],
  note: (m: string) => void,
): Promise<string | undefined> {
  const uid = process.getuid?.();
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const d of own) {
      const s = await lstat(d);
      if (!s.isDirectory()) {
        note(`tokenizer cache ${d} is not a folder (a symlink?); not caching`);
        return undefined;
      }
      if (uid !== undefined && s.uid !== uid) {
        note(`tokenizer cache ${d} belongs to another user; not caching`);
        return undefined;
      }
      if ((s.mode & 0o077) !== 0) await chmod(d, 0o700);
    }
    return dir;
  } catch (err) {
    note(`tokenizer cache ${dir} is not usable (${(err as NodeJS.ErrnoException).code ?? err}); not caching`);
    return undefined;
  }
}

/** The cached tokenizer, or why the entry is not trusted. */
async function readEntry(
  path: string,
  key: string,
  settings: CacheEntry['settings'],
  corpus: CacheEntry['corpus'],
): Promise<BpeTokenizer | string> {
  let s: Awaited<ReturnType<typeof lstat>>;
  try {
    s = await lstat(path);
  } catch {
    return 'cannot be read';
  }
  const uid = process.getuid?.();
  if (!s.isFile()) return 'is not a plain file';
  if (uid !== undefined && s.uid !== uid) return 'belongs to another user';
  let entry: CacheEntry;
  try {
    entry = JSON.parse(await readFile(path, 'utf8')) as CacheEntry;
  } catch {
    return 'is not valid JSON';
  }
  if (entry?.format !== CACHE_FORMAT || entry.version !== 1) return 'is not a tokenizer cache entry';
  if (entry.key !== key) return 'is for another corpus or other settings';
  if (JSON.stringify(entry.settings) !== JSON.stringify(settings)) return 'records other settings';
  if (JSON.stringify(entry.corpus) !== JSON.stringify(corpus)) return 'records another corpus';
  if (sha256(JSON.stringify(entry.tokenizer)) !== entry.tokenizerSha256) return 'does not match its checksum';
  try {
    const tok = BpeTokenizer.fromJSON(entry.tokenizer, path);
    if (tok.vocabSize > settings.vocabSize)
      return `has ${tok.vocabSize} tokens, more than the ${settings.vocabSize} asked`;
    return tok;
  } catch {
    return 'holds no usable tokenizer';
  }
}

/** Writes `path` atomically (temp file + rename), readable and writable by this user only. */
async function writePrivateFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const h = await open(tmp, 'wx', 0o600);
    try {
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
