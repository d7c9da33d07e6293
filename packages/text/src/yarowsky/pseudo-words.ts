/**
 * Pseudo-word evaluation (Gale, Church & Yarowsky, 1992; Schütze, 1992): two real words are
 * merged into one token (`war` + `tax` -> `war_tax`) everywhere in the corpus, and the
 * disambiguator must recover which word stood there; the original word is the gold sense.
 * Seeds are a few occurrences per sense with their gold label, as hand-tagging would give
 * (Yarowsky, 1995, step 2, first option); accuracy is measured on all other occurrences,
 * beside the most-frequent-sense baseline and a decision list trained on the seeds alone.
 */
import type { Rng } from '@autodidact/core';
import { findOccurrences, type Occurrence } from './occurrences.js';
import { classify, trainOnLabels, type YarowskyOptions, type YarowskyResult, yarowsky } from './yarowsky.js';

/** Options of {@link evaluatePseudoWord}. */
export interface PseudoWordOptions extends YarowskyOptions {
  /** Hand-tagged seed occurrences per sense. Default 5. */
  seedsPerSense?: number;
  /** Half-width of the context window. Default 10. */
  window?: number;
}

/** Accuracy after one iteration: labelled occurrences (seeds left out) and how many are right. */
export interface PseudoWordIteration {
  iteration: number;
  labelled: number;
  correct: number;
}

/** Accuracies on one pseudo-word (all on the occurrences that are not seeds). */
export interface PseudoWordResult {
  pseudoWord: string;
  /** Occurrences of each original word. */
  counts: number[];
  /** Occurrences evaluated (all but the seeds). */
  evaluated: number;
  /** Yarowsky with the options given. */
  accuracy: number;
  /** Share of the more frequent word among the evaluated occurrences. */
  mostFrequentSense: number;
  /** A decision list trained on the seeds alone (no bootstrapping), same list options. */
  supervised: number;
  /** Yarowsky without the one-sense-per-discourse step. */
  accuracyNoDiscourse: number;
  /** Iterations run. */
  iterations: number;
  /** Per iteration of the Yarowsky run: how many are labelled and how many of them correctly. */
  trace: PseudoWordIteration[];
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

/** `perSense` gold-labelled seeds per sense drawn with `rng`; -1 elsewhere. */
export function drawSeeds(gold: Int32Array, senses: number, perSense: number, rng: Rng): Int32Array {
  const seed = new Int32Array(gold.length).fill(-1);
  const all = Array.from(gold, (_, i) => i);
  for (let s = 0; s < senses; s++) {
    for (const i of rng.shuffle(all.filter((i) => gold[i] === s)).slice(0, perSense)) seed[i] = s;
  }
  return seed;
}

/** Accuracy of `labels` against `gold` on the occurrences that are not seeds. */
export function accuracyOffSeeds(labels: Int32Array, gold: Int32Array, seed: Int32Array): number {
  let ok = 0;
  let n = 0;
  labels.forEach((l, i) => {
    if (seed[i]! >= 0) return;
    n++;
    if (l === gold[i]) ok++;
  });
  return n ? ok / n : 0;
}

/**
 * The supervised baseline: a decision list trained on the seeds only, applied once; the seeds'
 * majority sense (the first on ties) where no rule fires.
 */
export function seedDecisionList(
  occurrences: readonly Occurrence[],
  seed: Int32Array,
  senses: number,
  o: YarowskyOptions = {},
): Int32Array {
  const list = trainOnLabels(occurrences, seed, senses, {
    alpha: o.alpha,
    minCount: o.minCount ?? 2,
    balanced: o.balanced ?? true,
  });
  const c = new Array<number>(senses).fill(0);
  for (const s of seed) if (s >= 0) c[s]!++;
  const majority = c.reduce((b, v, s, arr) => (v > arr[b]! ? s : b), 0);
  return classify(occurrences, list, seed, majority).labels;
}

/**
 * An `onIteration` callback that appends, per iteration, how many non-seed occurrences are
 * labelled and how many of those agree with `gold` to `trace`, then calls `next` if given.
 */
export function traceAgainstGold(
  seed: Int32Array,
  gold: Int32Array,
  trace: PseudoWordIteration[],
  next?: YarowskyOptions['onIteration'],
): NonNullable<YarowskyOptions['onIteration']> {
  return (it, labels) => {
    let labelled = 0;
    let correct = 0;
    labels.forEach((l, i) => {
      if (seed[i]! >= 0 || l < 0) return;
      labelled++;
      if (l === gold[i]) correct++;
    });
    trace.push({ iteration: it.iteration, labelled, correct });
    next?.(it, labels);
  };
}

/** Runs Yarowsky on already-found occurrences of a pseudo-word from `seedsPerSense` gold seeds. */
export function evaluateOccurrences(
  pseudoWord: string,
  occurrences: readonly Occurrence[],
  gold: Int32Array,
  rng: Rng,
  o: PseudoWordOptions = {},
): PseudoWordResult {
  const seed = drawSeeds(gold, 2, o.seedsPerSense ?? 5, rng);
  const trace: PseudoWordIteration[] = [];
  const result = yarowsky(occurrences, seed, 2, {
    ...o,
    onIteration: traceAgainstGold(seed, gold, trace, o.onIteration),
  });
  const plain =
    o.oneSensePerDiscourse === false ? result : yarowsky(occurrences, seed, 2, { ...o, oneSensePerDiscourse: false });
  const counts = [0, 1].map((s) => gold.filter((g) => g === s).length);
  const evalCounts = [0, 1].map((s) => gold.filter((g, i) => g === s && seed[i]! < 0).length);
  const n = evalCounts[0]! + evalCounts[1]!;
  return {
    pseudoWord,
    counts,
    evaluated: n,
    accuracy: accuracyOffSeeds(result.labels, gold, seed),
    mostFrequentSense: Math.max(...evalCounts) / n,
    supervised: accuracyOffSeeds(seedDecisionList(occurrences, seed, 2, o), gold, seed),
    accuracyNoDiscourse: accuracyOffSeeds(plain.labels, gold, seed),
    iterations: result.iterations.length - 1,
    trace,
    result,
  };
}

/** Finds the pseudo-word of `pair` in the corpus and evaluates it ({@link evaluateOccurrences}). */
export async function evaluatePseudoWord(
  paths: readonly string[],
  pair: readonly [string, string],
  rng: Rng,
  o: PseudoWordOptions = {},
): Promise<PseudoWordResult> {
  const { occurrences, gold } = await pseudoWordOccurrences(paths, pair, o.window);
  return evaluateOccurrences(`${pair[0]}_${pair[1]}`, occurrences, gold, rng, o);
}
