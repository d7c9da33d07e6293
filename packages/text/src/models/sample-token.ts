/**
 * Choosing the next token from logits: greedy (argmax), or sampling at a temperature after
 * top-k (Fan et al., 2018) and nucleus / top-p (Holtzman et al., 2020) filtering.
 */
import { ConfigError, type Rng } from '@autodidact/core';

/** Decoding options; `temperature: 0` (the default) is greedy. */
export interface SamplingOptions {
  /** Softmax temperature; 0 means greedy. Default 0. */
  temperature?: number;
  /** Keep only the k most likely tokens (0: all). Default 0. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1: all). Default 1. */
  topP?: number;
}

/**
 * The distribution sampling draws from, after temperature, top-k and top-p, as probabilities
 * over the vocabulary (zeros outside the kept set). Ties at the top-k boundary keep the lower ids.
 */
export function samplingDistribution(logits: ArrayLike<number>, o: SamplingOptions = {}): Float64Array {
  const t = o.temperature ?? 0;
  const k = o.topK ?? 0;
  const p = o.topP ?? 1;
  if (!(t > 0)) throw new ConfigError(`sampling needs a temperature > 0, got ${t}`, { field: 'temperature' });
  if (!(p > 0 && p <= 1)) throw new ConfigError(`expected 0 < topP <= 1, got ${p}`, { field: 'topP' });
  if (!Number.isInteger(k) || k < 0) throw new ConfigError(`expected an integer >= 0, got ${k}`, { field: 'topK' });
  const n = logits.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const keep = k > 0 ? order.slice(0, k) : order;
  const max = logits[keep[0]!]! / t;
  const w = keep.map((i) => Math.exp(logits[i]! / t - max));
  const z = w.reduce((a, b) => a + b, 0);
  const probs = new Float64Array(n);
  let cum = 0;
  for (let j = 0; j < keep.length; j++) {
    const q = w[j]! / z;
    probs[keep[j]!] = q;
    cum += q;
    if (cum >= p - 1e-12) break;
  }
  const total = probs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) probs[i]! /= total;
  return probs;
}

/** The next token id: argmax when the temperature is 0, else a draw from {@link samplingDistribution}. */
export function sampleToken(logits: ArrayLike<number>, rng: Rng, o: SamplingOptions = {}): number {
  if (!((o.temperature ?? 0) > 0)) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  const probs = samplingDistribution(logits, o);
  let u = rng.next();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i]!;
    if (u < 0) return i;
  }
  let last = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i]! > 0) last = i;
  return last;
}
