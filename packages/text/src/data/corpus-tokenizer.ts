/**
 * The tokenizer for a corpus: a `tokenizer.json` lying in the corpus folder (any Hugging Face
 * tokenizer, loaded through tokenizers.js), else a byte-level BPE trained on the corpus and
 * cached on disk, so a second run on the same data does not train again.
 *
 * The cache is the user's own: `$XDG_CACHE_HOME/autodidact/tokenizers` (default
 * `~/.cache/autodidact/tokenizers`), folders of mode 0700 and files of mode 0600; a folder
 * that another user owns or can write is not used at all (it could hold a planted tokenizer).
 * An entry is named by, and records, the sha256 of the corpus's content and the training
 * settings, and the sha256 of the tokenizer it holds; one that does not verify (edited, cut
 * short, for other data) is trained again and replaced, never trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheRoot, unreadableFileError } from '@autodidact/core';
import { BpeTokenizer, type TokenizerJson } from '../tokenize/bpe-tokenizer.js';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
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
}

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
  settings: { trainer: string; vocabSize: number; maxFiles: number | null };
  corpus: { files: number; bytes: number; sha256: string };
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
  const settings = { trainer: TRAINER, vocabSize: o.vocabSize ?? 4096, maxFiles: o.maxFiles ?? null };
  const corpus = await corpusDigest(files);
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
    for (const f of files) yield* readFileLines(f);
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
