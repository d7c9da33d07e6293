/**
 * BERT's masked-LM corruption (Devlin et al., 2019, section 3.1): choose 15% of the real tokens
 * as prediction targets; of those, 80% become `[MASK]`, 10% a random token, 10% stay unchanged.
 * Pure JS over an id array, drawn from the run's seeded generator.
 */
import type { Rng } from '@autodidact/core';

/** Options of {@link bertMask}. */
export interface BertMaskOptions {
  /** Share of eligible tokens chosen as targets. Default 0.15. */
  maskProb?: number;
  /** Of the targets, share replaced by `maskId`. Default 0.8. */
  replaceProb?: number;
  /** Of the targets, share replaced by a random token. Default 0.1 (the rest stay unchanged). */
  randomProb?: number;
  maskId: number;
  vocabSize: number;
  /** Ids never chosen as targets nor drawn as random replacements (padding, special tokens). */
  specialIds: readonly number[];
}

/** Corrupted input ids and, per position, the original id if it is a target, else -1. */
export interface MaskedBatch {
  input: Int32Array;
  targets: Int32Array;
}

/** Corrupts `ids` (any flat layout). At least one target is chosen when any token is eligible. */
export function bertMask(ids: ArrayLike<number>, rng: Rng, o: BertMaskOptions): MaskedBatch {
  const p = o.maskProb ?? 0.15;
  const pMask = o.replaceProb ?? 0.8;
  const pRandom = o.randomProb ?? 0.1;
  const special = new Set(o.specialIds);
  const input = Int32Array.from(ids);
  const targets = new Int32Array(ids.length).fill(-1);
  let chosen = 0;
  let lastEligible = -1;
  const corrupt = (i: number) => {
    targets[i] = input[i]!;
    chosen++;
    const u = rng.next();
    if (u < pMask) input[i] = o.maskId;
    else if (u < pMask + pRandom) {
      let r = rng.int(o.vocabSize);
      while (special.has(r)) r = rng.int(o.vocabSize);
      input[i] = r;
    }
  };
  for (let i = 0; i < input.length; i++) {
    if (special.has(input[i]!)) continue;
    lastEligible = i;
    if (rng.next() < p) corrupt(i);
  }
  if (chosen === 0 && lastEligible >= 0) corrupt(lastEligible);
  return { input, targets };
}
