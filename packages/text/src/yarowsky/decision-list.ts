/**
 * Yarowsky's decision list (Yarowsky, 1994/1995): every collocation is a rule predicting the
 * sense it occurs with most, ranked by the smoothed log-likelihood ratio
 * `LL(f) = log((c(f, s*) + a) / (c(f, not s*) + a))`; an occurrence takes the sense of the
 * highest-ranked rule it matches (one sense per collocation: the single strongest piece of
 * evidence decides, no votes are summed). A feature seen equally often with two senses gives no
 * rule: it prefers no sense, and breaking the tie toward sense 0 would bias the list.
 */

/** One rule: a feature, the sense it predicts, its score and evidence count. */
export interface Rule {
  feature: string;
  sense: number;
  logLikelihood: number;
  count: number;
}

/** Options of {@link trainDecisionList}. */
export interface DecisionListOptions {
  /** Additive smoothing `a` of the counts. Default 0.1. */
  alpha?: number;
  /** Rules seen fewer times are dropped. Default 2. */
  minCount?: number;
  /**
   * Weigh each sense's counts by the inverse of its number of examples (rescaled so the weights
   * average 1), so a sense with many labelled examples does not win rules merely by being seen
   * more; the score then compares P(f | s) across senses. Default false (raw counts, as Yarowsky).
   */
  balanced?: boolean;
}

/** Rules sorted by log-likelihood, strongest first. */
export class DecisionList {
  constructor(readonly rules: readonly Rule[]) {}

  /** The list cut to its `n` strongest rules per sense (order kept). */
  topPerSense(n: number): DecisionList {
    const taken = new Map<number, number>();
    return new DecisionList(
      this.rules.filter((r) => {
        const k = taken.get(r.sense) ?? 0;
        taken.set(r.sense, k + 1);
        return k < n;
      }),
    );
  }

  /**
   * Collins & Singer's (1999) cautious cut: among the rules with log-likelihood at least
   * `threshold`, the `n` per sense seen most often (ties: the stronger first), returned in the
   * list's order. Frequent reliable rules first keeps a list trained on a few labelled
   * occurrences from labelling through rare, accidentally pure collocations.
   */
  mostFrequentPerSense(n: number, threshold: number): DecisionList {
    const bySense = new Map<number, Rule[]>();
    for (const r of this.rules) {
      if (r.logLikelihood < threshold) continue;
      let a = bySense.get(r.sense);
      if (!a) {
        a = [];
        bySense.set(r.sense, a);
      }
      a.push(r);
    }
    const kept = new Set<Rule>();
    for (const a of bySense.values()) {
      // Stable sort: equal counts keep the list's (strongest-first) order.
      for (const r of [...a].sort((x, y) => y.count - x.count).slice(0, n)) kept.add(r);
    }
    return new DecisionList(this.rules.filter((r) => kept.has(r)));
  }

  private rank?: Map<string, number>;

  /** The first rule among `features` (strongest), or undefined. */
  match(features: readonly string[]): Rule | undefined {
    // Position of each feature's rule, built once: a lookup per feature instead of a scan of the list.
    if (!this.rank) {
      this.rank = new Map();
      this.rules.forEach((r, i) => {
        if (!this.rank!.has(r.feature)) this.rank!.set(r.feature, i);
      });
    }
    let best = -1;
    for (const f of features) {
      const i = this.rank.get(f);
      if (i !== undefined && (best < 0 || i < best)) best = i;
    }
    return best < 0 ? undefined : this.rules[best];
  }
}

/**
 * Counts of features per sense: `counts[f * senses + s]` is how often `features[f]` was seen with
 * sense `s`; `perSense[s]` how many examples had sense `s`.
 */
export interface FeatureCounts {
  features: readonly string[];
  counts: ArrayLike<number>;
  perSense: readonly number[];
}

/** Trains on (features, sense) pairs with `senses` senses. */
export function trainDecisionList(
  examples: Iterable<{ features: readonly string[]; sense: number }>,
  senses: number,
  o: DecisionListOptions = {},
): DecisionList {
  const index = new Map<string, number>();
  const features: string[] = [];
  const counts: number[] = [];
  const perSense = new Array<number>(senses).fill(0);
  for (const e of examples) {
    perSense[e.sense]!++;
    for (const f of e.features) {
      let k = index.get(f);
      if (k === undefined) {
        k = features.length;
        index.set(f, k);
        features.push(f);
        for (let s = 0; s < senses; s++) counts.push(0);
      }
      counts[k * senses + e.sense]!++;
    }
  }
  return decisionListFromCounts({ features, counts, perSense }, senses, o);
}

/** The decision list of counted features (see {@link trainDecisionList}). */
export function decisionListFromCounts(fc: FeatureCounts, senses: number, o: DecisionListOptions = {}): DecisionList {
  const alpha = o.alpha ?? 0.1;
  const minCount = o.minCount ?? 2;
  const seen = fc.perSense.filter((n) => n > 0).length;
  const all = fc.perSense.reduce((a, b) => a + b, 0);
  const weight = fc.perSense.map((n) => (o.balanced && n > 0 ? all / (seen * n) : 1));
  const rules: Rule[] = [];
  const c = new Array<number>(senses);
  fc.features.forEach((feature, f) => {
    let total = 0;
    for (let s = 0; s < senses; s++) total += fc.counts[f * senses + s]!;
    if (total < minCount) return;
    let best = 0;
    let sum = 0;
    for (let s = 0; s < senses; s++) {
      c[s] = fc.counts[f * senses + s]! * weight[s]!;
      sum += c[s];
      if (c[s] > c[best]!) best = s;
    }
    for (let s = 0; s < senses; s++) if (s !== best && c[s] === c[best]) return;
    const ll = Math.log((c[best]! + alpha) / (sum - c[best]! + alpha));
    rules.push({ feature, sense: best, logLikelihood: ll, count: total });
  });
  rules.sort((a, b) => b.logLikelihood - a.logLikelihood || b.count - a.count || (a.feature < b.feature ? -1 : 1));
  return new DecisionList(rules);
}
