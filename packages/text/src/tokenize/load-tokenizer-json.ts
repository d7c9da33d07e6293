/**
 * Loads any local Hugging Face `tokenizer.json` (BPE, WordPiece, Unigram, ...) through
 * tokenizers.js (`@huggingface/tokenizers`, the pure-JS tokenizer of transformers.js v3+), so
 * no hub is contacted. tokenizers.js is used instead of the whole `@huggingface/transformers`
 * because that pulls onnxruntime and sharp for nothing a tokenizer needs (tokenizers.js:
 * 0.65 MB, no dependencies).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataFormatError } from '@autodidact/core';
import { Tokenizer } from '@huggingface/tokenizers';
import { HfTokenizer } from './hf-tokenizer.js';

/**
 * Reads `path` (a `tokenizer.json`, with `tokenizer_config.json` beside it if present).
 * Throws DataFormatError naming the file when it is missing or not a tokenizer.
 */
export async function loadTokenizerJson(path: string): Promise<HfTokenizer> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new DataFormatError('expected a readable tokenizer.json', { file: path, cause });
  }
  let config: unknown = {};
  try {
    config = JSON.parse(await readFile(join(dirname(path), 'tokenizer_config.json'), 'utf8'));
  } catch {
    // optional
  }
  try {
    return new HfTokenizer(new Tokenizer(json as object, config as object));
  } catch (cause) {
    throw new DataFormatError(`not a tokenizer.json tokenizers.js can load: ${(cause as Error).message}`, {
      file: path,
      cause,
    });
  }
}
