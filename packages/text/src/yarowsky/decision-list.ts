/**
 * Yarowsky's decision list (Yarowsky, 1994/1995): every collocation is a rule predicting the
 * sense it occurs with most, ranked by the smoothed log-likelihood ratio
 * `LL(f) = log((c(f, s*) + a) / (c(f, not s*) + a))`; an occurrence takes the sense of the
 * highest-ranked rule it matches (one sense per collocation: the single strongest piece of
 * evidence decides, no votes are summed).
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

  /** The first rule among `features` (strongest), or undefined. */
  match(features: readonly string[]): Rule | undefined {
    const set = new Set(features);
    for (const r of this.rules) if (set.has(r.feature)) return r;
    return undefined;
  }
}

/** Trains on (features, sense) pairs with `senses` senses. */
export function trainDecisionList(
  examples: Iterable<{ features: readonly string[]; sense: number }>,
  senses: number,
  o: DecisionListOptions = {},
): DecisionList {
  const alpha = o.alpha ?? 0.1;
  const minCount = o.minCount ?? 2;
  const counts = new Map<string, number[]>();
  for (const e of examples) {
    for (const f of e.features) {
      let c = counts.get(f);
      if (!c) {
        c = new Array(senses).fill(0);
        counts.set(f, c);
      }
      c[e.sense]!++;
    }
  }
  const rules: Rule[] = [];
  for (const [feature, c] of counts) {
    const total = c.reduce((a, b) => a + b, 0);
    if (total < minCount) continue;
    let best = 0;
    for (let s = 1; s < senses; s++) if (c[s]! > c[best]!) best = s;
    const ll = Math.log((c[best]! + alpha) / (total - c[best]! + alpha));
    rules.push({ feature, sense: best, logLikelihood: ll, count: total });
  }
  rules.sort((a, b) => b.logLikelihood - a.logLikelihood || b.count - a.count || (a.feature < b.feature ? -1 : 1));
  return new DecisionList(rules);
}
