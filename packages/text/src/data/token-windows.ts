/**
 * Token windows for language-model pretraining: a corpus is streamed line by line, tokenized,
 * each file closed by the end-of-text id, and the id stream cut into non-overlapping windows of
 * `contextLength` (the last one padded). Only ids are kept in memory, never whole files.
 */
import { type BadFiles, ConfigError, DataFormatError, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
import type { TextTokenizer } from '../tokenize/text-tokenizer.js';

/** Options of {@link corpusWindows}. */
export interface WindowOptions {
  contextLength: number;
  eosId: number;
  padId: number;
  /** Stop after this many windows. */
  limit?: number;
  /** Bad files (unreadable, not UTF-8) are skipped and counted here, or stop the load with `strict`; without it they throw. */
  badFiles?: BadFiles;
}

/** Windows `[n, contextLength]` (int32, row-major) of the token stream of `texts`. */
export function windowsOfTexts(texts: Iterable<number[]>, o: WindowOptions): Int32Array {
  const rows: number[] = [];
  let cur: number[] = [];
  const full = () => o.limit !== undefined && rows.length / o.contextLength >= o.limit;
  for (const ids of texts) {
    for (const id of [...ids, o.eosId]) {
      cur.push(id);
      if (cur.length === o.contextLength) {
        rows.push(...cur);
        cur = [];
        if (full()) return Int32Array.from(rows);
      }
    }
  }
  if (cur.length > 1) {
    while (cur.length < o.contextLength) cur.push(o.padId);
    rows.push(...cur);
  }
  return Int32Array.from(rows);
}

/** Streams the files of `paths` (files/folders of .txt) into token windows. */
export async function corpusWindows(
  paths: readonly string[],
  tokenizer: TextTokenizer,
  o: WindowOptions,
): Promise<TensorDataset> {
  if (!Number.isInteger(o.contextLength) || o.contextLength < 2) {
    throw new ConfigError(`expected an integer >= 2, got ${o.contextLength}`, { field: 'contextLength' });
  }
  const files = await listCorpusFiles(paths);
  if (files.length === 0) throw new DataFormatError('no .txt files', { file: paths.join(', ') });
  const docs: number[][] = [];
  let windows = 0;
  const readIds = async (file: string): Promise<number[]> => {
    const ids: number[] = [];
    for await (const line of readFileLines(file)) for (const id of tokenizer.encode(`${line}\n`)) ids.push(id);
    return ids;
  };
  for (const file of files) {
    const ids = o.badFiles ? await o.badFiles.attempt(() => readIds(file)) : await readIds(file);
    if (!ids) continue;
    docs.push(ids);
    windows += ids.length / o.contextLength;
    if (o.limit !== undefined && windows >= o.limit) break;
  }
  o.badFiles?.assertAnyRead(paths.join(', '), docs.length);
  const flat = windowsOfTexts(docs, o);
  if (flat.length === 0) throw new DataFormatError('the corpus holds no text', { file: paths.join(', ') });
  const n = flat.length / o.contextLength;
  return new TensorDataset(tf.tensor2d(flat, [n, o.contextLength], 'int32'), undefined, undefined, paths.join(', '));
}

/** One window per text: its first `contextLength` ids (eos appended if room), padded. */
export function truncatedWindows(texts: readonly number[][], o: WindowOptions): Int32Array {
  const out = new Int32Array(texts.length * o.contextLength).fill(o.padId);
  texts.forEach((ids, i) => {
    const row = [...ids, o.eosId].slice(0, o.contextLength);
    out.set(row, i * o.contextLength);
  });
  return out;
}
