/**
 * Yarowsky (1995), "Unsupervised word sense disambiguation rivaling supervised methods":
 * 1. label the occurrences matched by a few seed collocations per sense;
 * 2. train a decision list on the labelled occurrences;
 * 3. label every occurrence whose strongest matching rule clears a log-likelihood threshold
 *    (one sense per collocation);
 * 4. one sense per discourse: where a document's labelled occurrences agree strongly enough,
 *    label (and correct) all its occurrences with that sense;
 * 5. repeat from 2 until the labelled set stops growing. Seed labels stay fixed.
 * The final list then labels every occurrence it can; the rest get the most common sense.
 */
import { type DecisionList, type DecisionListOptions, trainDecisionList } from './decision-list.js';
import type { Occurrence } from './occurrences.js';

/** Options of {@link yarowsky}. */
export interface YarowskyOptions extends DecisionListOptions {
  // minCount defaults to 3 here (rules from a handful of seeds need more than two sightings).
  /** Minimum log-likelihood of a rule to label during the iterations. Default ln(10) (odds 10:1). */
  threshold?: number;
  /** Apply one sense per discourse. Default true. */
  oneSensePerDiscourse?: boolean;
  /** Share of a document's labelled occurrences one sense needs to claim the document. Default 0.75. */
  discourseAgreement?: number;
  /** Stop after this many iterations at the latest. Default 50. */
  maxIterations?: number;
  /**
   * Rules per sense allowed to label in iteration t: `t * rulesPerSenseStep` (the strongest),
   * as Collins & Singer (1999) grow their decision lists, so lists built on few examples
   * cannot label everything at once and a frequent sense cannot swallow the rarer one
   * through generic collocations. 0 lets every rule above the threshold label at once
   * (Yarowsky's original). Default 5.
   */
  rulesPerSenseStep?: number;
}

/** Progress of one iteration. */
export interface YarowskyIteration {
  iteration: number;
  labelled: number;
  perSense: number[];
}

/** Outcome: a label per occurrence, the final decision list and the trajectory. */
export interface YarowskyResult {
  labels: Int32Array;
  decisionList: DecisionList;
  iterations: YarowskyIteration[];
  /** Whether a seed or a rule decided each occurrence (false: an earlier label or the most common sense). */
  decidedByRule: boolean[];
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

/** Runs the bootstrapping from `seed` labels (-1 = unlabelled) over `senses` senses. */
export function yarowsky(
  occurrences: readonly Occurrence[],
  seed: Int32Array,
  senses: number,
  o: YarowskyOptions = {},
): YarowskyResult {
  const threshold = o.threshold ?? Math.log(10);
  const agree = o.discourseAgreement ?? 0.75;
  const fixed = seed.map((s) => (s >= 0 ? 1 : 0));
  let labels = Int32Array.from(seed);
  const count = (l: Int32Array) => l.reduce((a, s) => a + (s >= 0 ? 1 : 0), 0);
  const perSense = (l: Int32Array) => {
    const c = new Array(senses).fill(0);
    for (const s of l) if (s >= 0) c[s]++;
    return c;
  };
  const iterations: YarowskyIteration[] = [{ iteration: 0, labelled: count(labels), perSense: perSense(labels) }];
  const train = (l: Int32Array) => {
    const ex: { features: readonly string[]; sense: number }[] = [];
    l.forEach((s, i) => {
      if (s >= 0) ex.push({ features: occurrences[i]!.features, sense: s });
    });
    return trainDecisionList(ex, senses, { alpha: o.alpha, minCount: o.minCount ?? 3 });
  };
  for (let it = 1; it <= (o.maxIterations ?? 50); it++) {
    const dl = train(labels);
    const step = o.rulesPerSenseStep ?? 5;
    const active = step > 0 ? dl.topPerSense(it * step) : dl;
    const next = Int32Array.from(labels);
    occurrences.forEach((occ, i) => {
      if (fixed[i]) return;
      const r = active.match(occ.features);
      next[i] = r && r.logLikelihood >= threshold ? r.sense : -1;
    });
    if (o.oneSensePerDiscourse ?? true) applyDiscourse(occurrences, next, fixed, senses, agree);
    const before = count(labels);
    const after = count(next);
    labels = next;
    iterations.push({ iteration: it, labelled: after, perSense: perSense(labels) });
    // Stop when the labelled set stops growing (while the rule budget is still binding, give it a few rounds).
    if (after <= before && (step === 0 || active.rules.length < it * step * senses)) break;
  }
  const dl = train(labels);
  const majority = perSense(labels).reduce((b, c, s, arr) => (c > arr[b]! ? s : b), 0);
  const final = new Int32Array(occurrences.length);
  const decidedByRule: boolean[] = [];
  occurrences.forEach((occ, i) => {
    const r = dl.match(occ.features);
    final[i] = fixed[i] ? seed[i]! : r ? r.sense : labels[i]! >= 0 ? labels[i]! : majority;
    decidedByRule.push(fixed[i] === 1 || r !== undefined);
  });
  if (o.oneSensePerDiscourse ?? true) applyDiscourse(occurrences, final, fixed, senses, agree);
  return { labels: final, decisionList: dl, iterations, decidedByRule };
}

/** One sense per discourse, in place: a dominant sense of a document's labelled occurrences spreads to all of them. */
function applyDiscourse(
  occ: readonly Occurrence[],
  labels: Int32Array,
  fixed: Uint8Array | Int32Array,
  senses: number,
  agree: number,
): void {
  const byDoc = new Map<number, number[]>();
  occ.forEach((o, i) => {
    let a = byDoc.get(o.doc);
    if (!a) {
      a = [];
      byDoc.set(o.doc, a);
    }
    a.push(i);
  });
  for (const idx of byDoc.values()) {
    const c = new Array(senses).fill(0);
    let n = 0;
    for (const i of idx) {
      if (labels[i]! >= 0) {
        c[labels[i]!]++;
        n++;
      }
    }
    if (n === 0) continue;
    const best = c.reduce((b, v, s, arr) => (v > arr[b]! ? s : b), 0);
    if (c[best] / n < agree || n < 2) continue;
    for (const i of idx) if (!fixed[i]) labels[i] = best;
  }
}
