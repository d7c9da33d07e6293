/**
 * Yarowsky (1995), "Unsupervised word sense disambiguation rivaling supervised methods":
 * 1. label the occurrences matched by a few seed collocations per sense (or a few hand-tagged ones);
 * 2. train a decision list on the labelled occurrences;
 * 3. label every occurrence whose strongest matching rule clears a log-likelihood threshold
 *    (one sense per collocation); earlier labels are recomputed, so errors can be undone;
 * 4. one sense per discourse: where a discourse's labelled occurrences agree by a clear margin,
 *    label (and correct) all its occurrences with that sense;
 * 5. repeat from 2 until the labelled set stops growing. Seed labels stay fixed.
 * The final decision list, trained on the last labelled set, is applied to every occurrence; where
 * no rule fires, an occurrence keeps the label the iterations gave it (through the discourse step),
 * and the majority sense of the training set is the default only where it has none.
 *
 * Step 3 is "cautious" by default (Collins & Singer, 1999, "Unsupervised models for named entity
 * classification"): in iteration t only the `t * rulesPerSenseStep` most frequent rules per sense
 * above the threshold may label. Letting every rule above the threshold label at once (the 1995
 * paper) drifts when the seeds are few: a collocation seen three times, all with one sense,
 * scores as well as a real clue, and generic words then pull whole topics into that sense.
 * Rule counts are balanced across senses by default (each sense's counts weighed by the inverse
 * of its labelled size): with raw counts the sense that happens to hold more labels wins every
 * generic collocation and grows further (the rich get richer).
 */
import {
  type DecisionList,
  type DecisionListOptions,
  decisionListFromCounts,
  type Rule,
  trainDecisionList,
} from './decision-list.js';
import type { Occurrence } from './occurrence.js';

/** Options of {@link yarowsky}. */
export interface YarowskyOptions extends DecisionListOptions {
  // balanced defaults to true here: with raw counts, whichever sense has more labels wins every
  // generic collocation, labels more through it, and swallows the other sense (measured on
  // pseudo-words). minCount stays 2: at 3, ten seeds of a sense with varied contexts (`nation`)
  // give it no rule at all, and the other sense alone labels.
  /** Minimum log-likelihood of a rule to label during the iterations. Default ln(10) (odds 10:1). */
  threshold?: number;
  /**
   * Rules per sense allowed to label in iteration t: `t * rulesPerSenseStep`. 0 lets every rule
   * above the threshold label at once (the 1995 paper). Default 5.
   */
  rulesPerSenseStep?: number;
  /**
   * Which rules the step admits first: `'frequent'` (most often seen among those above the
   * threshold; Collins & Singer's cautious order) or `'strongest'` (highest log-likelihood).
   * Default `'frequent'`.
   */
  ruleOrder?: 'frequent' | 'strongest';
  /** Apply one sense per discourse. Default true. */
  oneSensePerDiscourse?: boolean;
  /**
   * Length of a discourse in words: occurrences in the same block of this many words of one file
   * form a discourse; `Infinity` makes each whole file one discourse (Yarowsky's setting, for
   * corpora of short articles). Default {@link DEFAULT_DISCOURSE_WORDS}.
   */
  discourseWords?: number;
  /** Share of a discourse's labelled occurrences one sense needs to claim it. Default 0.75. */
  discourseAgreement?: number;
  /** Labelled occurrences a discourse needs before it is claimed. Default 2. */
  discourseMinLabelled?: number;
  /** Stop after this many iterations at the latest. Default 50. */
  maxIterations?: number;
  /**
   * Called after each iteration (0 = the seeds) with its summary and the labels (-1 = unlabelled);
   * for tracing accuracy against a gold standard the algorithm never sees.
   */
  onIteration?: (iteration: YarowskyIteration, labels: Int32Array) => void;
}

/** Progress of one iteration. */
export interface YarowskyIteration {
  iteration: number;
  /** Occurrences holding a label after the iteration (seeds included). */
  labelled: number;
  /** Labelled occurrences per sense. */
  perSense: number[];
  /** Rules allowed to label in this iteration (0 for the seeds). */
  rules: number;
}

/** Outcome: a label per occurrence, the final decision list and the trajectory. */
export interface YarowskyResult {
  labels: Int32Array;
  decisionList: DecisionList;
  iterations: YarowskyIteration[];
  /** Whether a seed or a rule decided each occurrence (false: the default sense or the discourse). */
  decidedByRule: boolean[];
  /** The default sense: the majority of the final training set. */
  defaultSense: number;
}

/** Seeds: per occurrence, a sense (>= 0) or -1 when unlabelled. */
export function seedLabels(occurrences: readonly Occurrence[], seeds: readonly (readonly string[])[]): Int32Array {
  const labels = new Int32Array(occurrences.length).fill(-1);
  occurrences.forEach((o, i) => {
    const set = new Set(o.features);
    const hits = seeds.map((feats) => feats.some((f) => set.has(f)));
    const n = hits.filter(Boolean).length;
    if (n === 1) labels[i] = hits.indexOf(true);
  });
  return labels;
}

/** Labelled occurrences per sense. */
function senseCounts(labels: Int32Array, senses: number): number[] {
  const c = new Array<number>(senses).fill(0);
  for (const s of labels) if (s >= 0) c[s]!++;
  return c;
}

/** Index of the largest count (the first on ties). */
function argmax(c: readonly number[]): number {
  return c.reduce((b, v, s, arr) => (v > arr[b]! ? s : b), 0);
}

/** Decision list trained on the labelled occurrences. */
export function trainOnLabels(
  occurrences: readonly Occurrence[],
  labels: Int32Array,
  senses: number,
  o: DecisionListOptions = {},
): DecisionList {
  const ex: { features: readonly string[]; sense: number }[] = [];
  labels.forEach((s, i) => {
    if (s >= 0) ex.push({ features: occurrences[i]!.features, sense: s });
  });
  return trainDecisionList(ex, senses, o);
}

/**
 * Applies a decision list to every occurrence: seeds keep their label, the others take the sense
 * of their first matching rule; where none matches, the label in `previous` (>= 0; e.g. one the
 * discourse step gave), else `defaultSense`.
 */
export function classify(
  occurrences: readonly Occurrence[],
  list: DecisionList,
  seed: Int32Array,
  defaultSense: number,
  previous?: Int32Array,
): { labels: Int32Array; decidedByRule: boolean[] } {
  const labels = new Int32Array(occurrences.length);
  const decidedByRule: boolean[] = [];
  occurrences.forEach((occ, i) => {
    if (seed[i]! >= 0) {
      labels[i] = seed[i]!;
      decidedByRule.push(true);
      return;
    }
    const r = list.match(occ.features);
    labels[i] = r ? r.sense : previous && previous[i]! >= 0 ? previous[i]! : defaultSense;
    decidedByRule.push(r !== undefined);
  });
  return { labels, decidedByRule };
}

/**
 * Default length of a discourse, in words. Chosen on the validation pseudo-words of the evaluation
 * protocol: 1000-word blocks scored 0.913 ± 0.006 over 3 seed draws, against 0.870 ± 0.007 with no
 * discourse step and 0.819 ± 0.017 with whole files (`npm run bench:yarowsky -- --split
 * validation`). A file may be a whole book, in which one word takes more than one sense.
 */
export const DEFAULT_DISCOURSE_WORDS = 1000;

/** Runs the bootstrapping from `seed` labels (-1 = unlabelled) over `senses` senses. */
export function yarowsky(
  occurrences: readonly Occurrence[],
  seed: Int32Array,
  senses: number,
  o: YarowskyOptions = {},
): YarowskyResult {
  const threshold = o.threshold ?? Math.log(10);
  const step = o.rulesPerSenseStep ?? 5;
  const discourse = o.oneSensePerDiscourse ?? true;
  const dlOptions: DecisionListOptions = { alpha: o.alpha, minCount: o.minCount ?? 2, balanced: o.balanced ?? true };
  const discourses = discourse ? discourseGroups(occurrences, o.discourseWords ?? DEFAULT_DISCOURSE_WORDS) : [];
  const spread = (l: Int32Array) =>
    applyDiscourse(discourses, l, seed, senses, o.discourseAgreement ?? 0.75, o.discourseMinLabelled ?? 2);
  // Features as integers once: each iteration then counts and matches over typed arrays.
  const index = new Map<string, number>();
  const vocab: string[] = [];
  const ids = occurrences.map((occ) =>
    Int32Array.from(occ.features, (f) => {
      let k = index.get(f);
      if (k === undefined) {
        k = vocab.length;
        index.set(f, k);
        vocab.push(f);
      }
      return k;
    }),
  );
  const train = (l: Int32Array) => {
    const counts = new Float64Array(vocab.length * senses);
    const perSense = new Array<number>(senses).fill(0);
    l.forEach((s, i) => {
      if (s < 0) return;
      perSense[s]!++;
      for (const k of ids[i]!) counts[k * senses + s]!++;
    });
    return decisionListFromCounts({ features: vocab, counts, perSense }, senses, dlOptions);
  };
  const rank = new Int32Array(vocab.length);
  const firstRule = (list: DecisionList): ((i: number) => Rule | undefined) => {
    rank.fill(-1);
    list.rules.forEach((r, j) => {
      const k = index.get(r.feature)!;
      if (rank[k]! < 0) rank[k] = j;
    });
    return (i) => {
      let best = -1;
      for (const k of ids[i]!) {
        const j = rank[k]!;
        if (j >= 0 && (best < 0 || j < best)) best = j;
      }
      return best < 0 ? undefined : list.rules[best];
    };
  };
  let labels = Int32Array.from(seed);
  const count = (l: Int32Array) => l.reduce((a, s) => a + (s >= 0 ? 1 : 0), 0);
  const record = (iteration: number, rules: number) => {
    const it = { iteration, labelled: count(labels), perSense: senseCounts(labels, senses), rules };
    iterations.push(it);
    o.onIteration?.(it, labels);
  };
  const iterations: YarowskyIteration[] = [];
  record(0, 0);
  for (let it = 1; it <= (o.maxIterations ?? 50); it++) {
    const dl = train(labels);
    const eligible = dl.rules.filter((r) => r.logLikelihood >= threshold).length;
    const budget = step > 0 ? it * step : Number.POSITIVE_INFINITY;
    const active =
      step <= 0
        ? dl.mostFrequentPerSense(Number.POSITIVE_INFINITY, threshold)
        : (o.ruleOrder ?? 'frequent') === 'frequent'
          ? dl.mostFrequentPerSense(budget, threshold)
          : dl.topPerSense(budget).mostFrequentPerSense(Number.POSITIVE_INFINITY, threshold);
    const next = Int32Array.from(seed);
    const match = firstRule(active);
    for (let i = 0; i < next.length; i++) {
      if (seed[i]! >= 0) continue;
      const r = match(i);
      if (r) next[i] = r.sense;
    }
    if (discourse) spread(next);
    const before = count(labels);
    labels = next;
    record(it, active.rules.length);
    // Stop once the labelled set stops growing and the rule budget no longer binds.
    const saturated = active.rules.length >= eligible;
    if (count(labels) <= before && saturated) break;
  }
  const dl = train(labels);
  const defaultSense = argmax(senseCounts(labels, senses));
  const final = classify(occurrences, dl, seed, defaultSense, labels);
  if (discourse) spread(final.labels);
  return { labels: final.labels, decisionList: dl, iterations, decidedByRule: final.decidedByRule, defaultSense };
}

/** Occurrence indices grouped by discourse: the file, or blocks of `words` words of it. */
function discourseGroups(occ: readonly Occurrence[], words: number): number[][] {
  const byKey = new Map<string, number[]>();
  occ.forEach((o, i) => {
    const key = Number.isFinite(words) ? `${o.doc}:${Math.floor((o.position ?? 0) / words)}` : `${o.doc}`;
    let a = byKey.get(key);
    if (!a) {
      a = [];
      byKey.set(key, a);
    }
    a.push(i);
  });
  return [...byKey.values()];
}

/**
 * One sense per discourse, in place: where at least `minLabelled` of a discourse's occurrences are
 * labelled and a share `agree` of them has one sense, all its occurrences but the seeds take it.
 */
function applyDiscourse(
  groups: readonly number[][],
  labels: Int32Array,
  seed: Int32Array,
  senses: number,
  agree: number,
  minLabelled: number,
): void {
  for (const idx of groups) {
    const c = new Array<number>(senses).fill(0);
    let n = 0;
    for (const i of idx) {
      if (labels[i]! >= 0) {
        c[labels[i]!]!++;
        n++;
      }
    }
    if (n < Math.max(1, minLabelled)) continue;
    const best = argmax(c);
    if (c[best]! / n < agree) continue;
    for (const i of idx) if (seed[i]! < 0) labels[i] = best;
  }
}
