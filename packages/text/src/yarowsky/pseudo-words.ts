/**
 * Pseudo-word evaluation (Gale, Church & Yarowsky, 1992; Schütze, 1992): two real words are
 * merged into one token (`war` + `tax` -> `war_tax`) everywhere in the corpus, and the
 * disambiguator must recover which word stood there; the original word is the gold sense.
 * Seeds are a few occurrences per sense with their gold label, as hand-tagging would give
 * (Yarowsky, 1995, step 2, first option); accuracy is measured on all other occurrences,
 * beside the most-frequent-sense baseline.
 */
import type { Rng } from '@autodidact/core';
import { findOccurrences, type Occurrence } from './occurrences.js';
import { yarowsky, type YarowskyOptions, type YarowskyResult } from './yarowsky.js';

/** Options of {@link evaluatePseudoWord}. */
export interface PseudoWordOptions extends YarowskyOptions {
  /** Hand-tagged seed occurrences per sense. Default 5. */
  seedsPerSense?: number;
  /** Half-width of the context window. Default 10. */
  window?: number;
}

/** Accuracy of Yarowsky and of the most frequent sense on one pseudo-word. */
export interface PseudoWordResult {
  pseudoWord: string;
  /** Occurrences of each original word. */
  counts: number[];
  /** Occurrences evaluated (all but the seeds). */
  evaluated: number;
  accuracy: number;
  mostFrequentSense: number;
  /** Accuracy without the one-sense-per-discourse step. */
  accuracyNoDiscourse: number;
  iterations: number;
  result: YarowskyResult;
}

/** Finds the occurrences of a pseudo-word made of `pair` (features see the merged token only). */
export async function pseudoWordOccurrences(
  paths: readonly string[],
  pair: readonly [string, string],
  window = 10,
): Promise<{ occurrences: Occurrence[]; gold: Int32Array }> {
  const token = `${pair[0]}_${pair[1]}`;
  const replace = new Map(pair.map((w) => [w, token] as [string, string]));
  const { occurrences } = await findOccurrences(paths, { forms: pair, window, replace });
  const gold = Int32Array.from(occurrences.map((o) => (o.surface === pair[0] ? 0 : 1)));
  return { occurrences, gold };
}

/** Runs Yarowsky on the pseudo-word of `pair` from `seedsPerSense` gold-labelled seeds. */
export async function evaluatePseudoWord(
  paths: readonly string[],
  pair: readonly [string, string],
  rng: Rng,
  o: PseudoWordOptions = {},
): Promise<PseudoWordResult> {
  const { occurrences, gold } = await pseudoWordOccurrences(paths, pair, o.window);
  const k = o.seedsPerSense ?? 5;
  const seed = new Int32Array(occurrences.length).fill(-1);
  for (let s = 0; s < 2; s++) {
    const idx = rng.shuffle(occurrences.map((_, i) => i).filter((i) => gold[i] === s)).slice(0, k);
    for (const i of idx) seed[i] = s;
  }
  const score = (r: YarowskyResult) => {
    let ok = 0;
    let n = 0;
    r.labels.forEach((l, i) => {
      if (seed[i]! >= 0) return;
      n++;
      if (l === gold[i]) ok++;
    });
    return { acc: ok / n, n };
  };
  const result = yarowsky(occurrences, seed, 2, o);
  const plain = yarowsky(occurrences, seed, 2, { ...o, oneSensePerDiscourse: false });
  const counts = [0, 1].map((s) => gold.filter((g) => g === s).length);
  const evalCounts = [0, 1].map((s) => gold.filter((g, i) => g === s && seed[i]! < 0).length);
  const { acc, n } = score(result);
  return {
    pseudoWord: `${pair[0]}_${pair[1]}`,
    counts,
    evaluated: n,
    accuracy: acc,
    mostFrequentSense: Math.max(...evalCounts) / n,
    accuracyNoDiscourse: score(plain).acc,
    iterations: result.iterations.length - 1,
    result,
  };
}
