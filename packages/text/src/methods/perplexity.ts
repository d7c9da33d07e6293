/**
 * Perplexity: `exp` of the mean negative log-likelihood per predicted token,
 * `PPL = exp(-(1/N) sum_i log p(x_i | context_i))`. For a causal LM the context is the prefix;
 * for a masked LM it is the rest of the window (pseudo-perplexity of the masked tokens).
 */

/** Running sum of token NLLs (natural log) and their count. */
export class PerplexityMeter {
  private nll = 0;
  private n = 0;
  /** Adds per-token NLLs. */
  add(nlls: ArrayLike<number>): void {
    for (let i = 0; i < nlls.length; i++) this.nll += nlls[i]!;
    this.n += nlls.length;
  }
  /** Tokens counted. */
  get count(): number {
    return this.n;
  }
  /** Mean NLL in nats per token. */
  get meanNll(): number {
    return this.n === 0 ? Number.NaN : this.nll / this.n;
  }
  /** `exp(meanNll)`. */
  get perplexity(): number {
    return Math.exp(this.meanNll);
  }
}
