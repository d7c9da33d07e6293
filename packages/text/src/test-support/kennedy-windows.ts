/**
 * The State of the Union text the language-model tests train on: JFK's 1961 and 1962
 * addresses (node tools/fetch-data.mjs sotu) as 32-token windows `[n, 32]` under a 512-piece
 * byte-level BPE trained on them, which becomes the active tokenizer.
 */
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { describeTokenizer, setActiveTokenizer } from '../data/active-tokenizer.js';
import { corpusWindows } from '../data/corpus-windows.js';
import { readFileLines } from '../tokenize/corpus-reader.js';
import { trainBpe } from '../tokenize/train-bpe.js';

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
