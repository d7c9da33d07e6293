/**
 * The State of the Union text the language-model tests train on: JFK's 1961 and 1962
 * addresses (node tools/fetch-data.mjs sotu) as 32-token windows `[n, 32]` under a 512-piece
 * byte-level BPE trained on them, which becomes the active tokenizer.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env } from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { describeTokenizer, setActiveTokenizer } from '../data/active-tokenizer.js';
import { corpusWindows } from '../data/corpus-windows.js';
import { readFileLines } from '../tokenize/corpus-reader.js';
import { trainBpe } from '../tokenize/train-bpe.js';

/** Where tools/fetch-data.mjs puts the speeches (AUTODIDACT_DATA_DIR or <repo>/data). */
export const SOTU_DIR = join(env.dataDir ?? join(import.meta.dirname, '../../../../data'), 'sotu');

/** The speeches' folder, or undefined when it is absent (the tests that need it skip, saying {@link SOTU_MISSING}). */
export function sotuDir(): string | undefined {
  return existsSync(SOTU_DIR) ? SOTU_DIR : undefined;
}

/** Why the tests on the speeches skip, and the command that fetches them. */
export const SOTU_MISSING = `${SOTU_DIR} missing (node tools/fetch-data.mjs sotu)`;

export async function kennedyWindows(sotu: string): Promise<tf.Tensor> {
  const files = ['1961_john_f_kennedy_d.txt', '1962_john_f_kennedy_d.txt'].map((f) => join(sotu, f));
  async function* lines() {
    for (const f of files) yield* readFileLines(f);
  }
  const tok = await trainBpe(lines(), { vocabSize: 512 });
  setActiveTokenizer(describeTokenizer(tok, tok.toJSON()));
  const ds = await corpusWindows(files, tok, { contextLength: 32, eosId: 2, padId: 0 });
  return ds.inputs;
}
