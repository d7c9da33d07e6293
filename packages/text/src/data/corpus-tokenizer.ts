/**
 * The tokenizer for a corpus: a `tokenizer.json` lying in the corpus folder (any Hugging Face
 * tokenizer, loaded through tokenizers.js), else a byte-level BPE trained on the corpus and
 * cached on disk under a key of the files' paths, sizes and times, so a second run on the same
 * data does not train again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BpeTokenizer, type TokenizerJson } from '../tokenize/bpe-tokenizer.js';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
import { loadTokenizerJson } from '../tokenize/load-tokenizer-json.js';
import { trainBpe } from '../tokenize/train-bpe.js';
import { type ActiveTokenizer, describeTokenizer } from './active-tokenizer.js';

/** Options of {@link tokenizerForCorpus}. */
export interface CorpusTokenizerOptions {
  /** BPE vocabulary size when training. Default 4096. */
  vocabSize?: number;
  /** Where trained vocabularies are cached. Default `<os tmp>/autodidact-text/tokenizers`. */
  cacheDir?: string;
  /** Train on at most this many files (the first in sorted order). Default all. */
  maxFiles?: number;
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
  const vocabSize = o.vocabSize ?? 4096;
  const h = createHash('sha256').update(`bpe-v1 ${vocabSize}\n`);
  for (const f of files) {
    const s = await stat(f);
    h.update(`${f}\t${s.size}\t${s.mtimeMs}\n`);
  }
  const dir = o.cacheDir ?? join(tmpdir(), 'autodidact-text', 'tokenizers');
  const cached = join(dir, `${h.digest('hex').slice(0, 24)}.json`);
  if (existsSync(cached)) {
    const tok = await BpeTokenizer.load(cached);
    return describeTokenizer(tok, tok.toJSON());
  }
  async function* lines(): AsyncGenerator<string> {
    for (const f of files) yield* readFileLines(f);
  }
  const tok = await trainBpe(lines(), { vocabSize });
  await mkdir(dir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(tok.toJSON()));
  await rename(tmp, cached);
  return describeTokenizer(tok, tok.toJSON());
}
