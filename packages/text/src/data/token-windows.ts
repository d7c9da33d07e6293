/**
 * Token windows for language-model pretraining: each text's ids closed by the end-of-text id,
 * and the id stream cut into non-overlapping windows of `contextLength` (the last one padded).
 * Reading a corpus from files into windows is `corpus-windows.ts` (Node).
 */
import type { BadFiles } from '@autodidact/core';

/** Options of {@link windowsOfTexts}, {@link truncatedWindows} and `corpusWindows`. */
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

/** One window per text: its first `contextLength` ids (eos appended if room), padded. */
export function truncatedWindows(texts: readonly number[][], o: WindowOptions): Int32Array {
  const out = new Int32Array(texts.length * o.contextLength).fill(o.padId);
  texts.forEach((ids, i) => {
    const row = [...ids, o.eosId].slice(0, o.contextLength);
    out.set(row, i * o.contextLength);
  });
  return out;
}
