/**
 * Trains a byte-level BPE vocabulary on a stream of lines (Sennrich et al., 2016, "Neural
 * machine translation of rare words with subword units", Algorithm 1): count byte-level
 * pieces, then repeatedly merge the most frequent adjacent pair (ties: lexicographically
 * smallest) until the vocabulary is full. Pair counts are updated incrementally, touching only
 * the pieces that hold the merged pair.
 *
 * Written here rather than taken from the `tokenizers` npm binding: that binding (64 MB of
 * prebuilt binaries) trains only with its default trainer (30,000 tokens, no special tokens or
 * minimum frequency can be set from JS), and the pure-JS tokenizers.js does not train.
 */
import { ConfigError, DataFormatError } from '@autodidact/core';
import { applyMerge, BpeTokenizer } from './bpe-tokenizer.js';
import { BYTE_ALPHABET, byteLevelPieces } from './byte-level.js';
import { SPECIAL_TOKENS } from './text-tokenizer.js';

/** Options of {@link trainBpe}. */
export interface TrainBpeOptions {
  /** Total vocabulary size incl. 256 byte tokens and the special tokens. Default 4096. */
  vocabSize?: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
  /** Special tokens, given the first ids. Default `<pad>`, `<mask>`, `<eos>`. */
  specialTokens?: string[];
}

/** Trains on lines from any (async) iterable; nothing but the piece counts is kept in memory. */
export async function trainBpe(
  lines: AsyncIterable<string> | Iterable<string>,
  options: TrainBpeOptions = {},
): Promise<BpeTokenizer> {
  const specials = options.specialTokens ?? Object.values(SPECIAL_TOKENS);
  const vocabSize = options.vocabSize ?? 4096;
  const minFrequency = options.minFrequency ?? 2;
  if (!Number.isInteger(vocabSize) || vocabSize < specials.length + 256) {
    throw new ConfigError(`expected at least ${specials.length + 256} (bytes + special tokens), got ${vocabSize}`, {
      field: 'vocabSize',
    });
  }
  const counts = new Map<string, number>();
  for await (const line of lines as AsyncIterable<string>) {
    for (const p of byteLevelPieces(line.normalize('NFC'))) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  if (counts.size === 0) throw new DataFormatError('the corpus holds no text to train a vocabulary on');

  const vocab = new Map<string, number>();
  for (const t of specials) vocab.set(t, vocab.size);
  for (const c of [...BYTE_ALPHABET].sort()) vocab.set(c, vocab.size);

  const words: string[][] = [];
  const freq: number[] = [];
  for (const [p, c] of counts) {
    words.push([...p]);
    freq.push(c);
  }
  const pairCount = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const addPairs = (w: number, sign: number) => {
    const s = words[w]!;
    for (let i = 0; i < s.length - 1; i++) {
      const k = key(s[i]!, s[i + 1]!);
      const c = (pairCount.get(k) ?? 0) + sign * freq[w]!;
      if (c > 0) pairCount.set(k, c);
      else pairCount.delete(k);
      if (sign > 0) {
        const set = where.get(k);
        if (set) set.add(w);
        else where.set(k, new Set([w]));
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);

  const merges: [string, string][] = [];
  while (vocab.size < vocabSize) {
    let bestKey = '';
    let best = 0;
    for (const [k, c] of pairCount) {
      if (c > best || (c === best && c > 0 && k < bestKey)) {
        best = c;
        bestKey = k;
      }
    }
    if (best < minFrequency) break;
    const [a, b] = bestKey.split('\u0000') as [string, string];
    merges.push([a, b]);
    vocab.set(a + b, vocab.size);
    for (const w of where.get(bestKey) ?? []) {
      const s = words[w]!;
      addPairs(w, -1);
      words[w] = applyMerge(s, a, b);
      addPairs(w, 1);
    }
    where.delete(bestKey);
    pairCount.delete(bestKey);
  }
  return new BpeTokenizer(vocab, merges, specials);
}
