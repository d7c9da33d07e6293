/**
 * k-mer tokenization and k-mer count features. A k-mer of base codes is the base-4 number
 * c_0 c_1 ... c_{k-1} (first base most significant); k-mers that contain an N get the extra
 * token 4^k. Canonical counting merges each k-mer with its reverse complement (the smaller id
 * represents both), which makes the features strand-independent.
 */
import { ConfigError } from '@autodidact/core';

function checkK(k: number, max = 12): void {
  if (!Number.isInteger(k) || k < 1 || k > max) {
    throw new ConfigError(`expected an integer k in [1, ${max}], got ${k}`, { field: 'k' });
  }
}

/** Vocabulary size of k-mer tokens: 4^k k-mers plus the N token. */
export function kmerVocabularySize(k: number): number {
  checkK(k);
  return 4 ** k + 1;
}

/**
 * Token ids of the k-mers starting at 0, stride, 2*stride, ... (while a whole k-mer fits),
 * `[floor((length - k) / stride) + 1]`. Stride k gives non-overlapping tokens.
 */
export function kmerTokens(codes: Uint8Array, k: number, stride = 1): Int32Array {
  checkK(k);
  if (!Number.isInteger(stride) || stride < 1) {
    throw new ConfigError(`expected an integer stride >= 1, got ${stride}`, { field: 'stride' });
  }
  const n = codes.length < k ? 0 : Math.floor((codes.length - k) / stride) + 1;
  const out = new Int32Array(n);
  const nToken = 4 ** k;
  for (let t = 0; t < n; t++) {
    let id = 0;
    const s = t * stride;
    for (let j = 0; j < k; j++) {
      const c = codes[s + j]!;
      if (c > 3) {
        id = nToken;
        break;
      }
      id = id * 4 + c;
    }
    out[t] = id;
  }
  return out;
}

/** Id of the reverse complement of k-mer `id`. */
export function reverseComplementKmer(id: number, k: number): number {
  let rc = 0;
  for (let j = 0; j < k; j++) {
    rc = rc * 4 + (3 - (id % 4));
    id = Math.floor(id / 4);
  }
  return rc;
}

/** Options of {@link kmerFrequencies}. */
export interface KmerCountOptions {
  /** Merge each k-mer with its reverse complement. Default true. */
  canonical?: boolean;
}

/**
 * Relative frequencies of all overlapping k-mers without N, `[4^k]` (canonical: counts of the
 * pair live at the smaller id, the other entry stays 0). All zeros when no k-mer is valid.
 */
export function kmerFrequencies(codes: Uint8Array, k: number, options: KmerCountOptions = {}): Float32Array {
  const tokens = kmerTokens(codes, k, 1);
  const size = 4 ** k;
  const out = new Float32Array(size);
  const canonical = options.canonical ?? true;
  let total = 0;
  for (const t of tokens) {
    if (t === size) continue;
    const id = canonical ? Math.min(t, reverseComplementKmer(t, k)) : t;
    out[id]! += 1;
    total++;
  }
  if (total > 0) for (let i = 0; i < size; i++) out[i]! /= total;
  return out;
}
