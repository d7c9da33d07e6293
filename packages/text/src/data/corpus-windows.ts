/**
 * Token windows of a corpus on disk: the files are streamed line by line, tokenized, each file
 * closed by the end-of-text id, and the id stream cut into windows (`windowsOfTexts`). Only ids
 * are kept in memory, never whole files. Node-only.
 */
import { ConfigError, DataFormatError, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
import type { TextTokenizer } from '../tokenize/text-tokenizer.js';
import { type WindowOptions, windowsOfTexts } from './token-windows.js';

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
