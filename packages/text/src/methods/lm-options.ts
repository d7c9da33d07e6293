/** Options shared by the text language-model methods, and building their encoder. */
import { ConfigError, type Rng, resolveOptions, type OptionSchema } from '@autodidact/core';
import { activeTokenizer } from '../data/active-tokenizer.js';
import { textEncoderConfig, TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import type { BertMaskOptions } from './bert-masking.js';

/** Architecture and special ids; the tokenizer fills vocabSize and ids when left at -1. */
export const LM_DEFAULTS = {
  layers: 2,
  dim: 128,
  heads: 4,
  mlpDim: 0,
  positions: 'learned' as 'learned' | 'sinusoidal',
  vocabSize: -1,
  padId: -1,
  maskId: -1,
  eosId: -1,
};

/** Type, bounds and meaning of each option of {@link LM_DEFAULTS}. */
export const LM_SCHEMA: OptionSchema<typeof LM_DEFAULTS> = {
  layers: { type: 'integer', min: 1, description: 'Blocks.' },
  dim: { type: 'integer', min: 1, description: 'Width.' },
  heads: { type: 'integer', min: 1, description: 'Attention heads.' },
  mlpDim: { type: 'integer', min: 0, description: 'MLP width (0: 4 x dim).' },
  positions: { type: 'enum', choices: ['learned', 'sinusoidal'], description: '`learned` or `sinusoidal`.' },
  vocabSize: { type: 'integer', min: -1, description: 'Vocabulary size (-1: from the active tokenizer).' },
  padId: { type: 'integer', min: -1, description: 'Padding id (-1: from the active tokenizer).' },
  maskId: { type: 'integer', min: -1, description: 'Mask id (-1: from the active tokenizer).' },
  eosId: { type: 'integer', min: -1, description: 'End-of-text id (-1: from the active tokenizer).' },
};
export type LmOptions = typeof LM_DEFAULTS;

/** Checks options against the method's schema and fills the tokenizer's values for ids left at -1. */
export function resolveLmOptions<T extends LmOptions>(
  method: string,
  schema: OptionSchema<T>,
  defaults: T,
  options: Partial<T>,
): T {
  const o = resolveOptions(method, schema, defaults, options);
  const r = o as T;
  const t = activeTokenizer();
  for (const [k, from] of [
    ['vocabSize', t?.tokenizer.vocabSize],
    ['padId', t?.padId],
    ['maskId', t?.maskId],
    ['eosId', t?.eosId],
  ] as const) {
    if ((r[k] as number) < 0) {
      if (from === undefined) throw new ConfigError(`${k} is not set and no tokenizer is loaded`, { field: k });
      (r as Record<string, unknown>)[k] = from;
    }
  }
  return r;
}

/** The method's encoder for windows of `sampleShape[0]` tokens. */
export function buildLmEncoder(o: LmOptions, sampleShape: number[], causal: boolean, rng: Rng): TransformerTextEncoder {
  const contextLength = sampleShape[0];
  if (sampleShape.length !== 1 || !contextLength)
    throw new ConfigError(`expected windows of token ids [seq], got [${sampleShape}]`, { field: 'sampleShape' });
  const config = textEncoderConfig(
    {
      vocabSize: o.vocabSize,
      contextLength,
      layers: o.layers,
      dim: o.dim,
      heads: o.heads,
      mlpDim: o.mlpDim > 0 ? o.mlpDim : undefined,
      positions: o.positions,
      causal,
      padId: o.padId,
    },
    activeTokenizer()?.json,
  );
  return new TransformerTextEncoder(config, rng);
}

/**
 * BERT masking's options for a masked-prediction method (MLM, data2vec): its share of targets,
 * its mask id and vocabulary, and the pad, mask and end-of-text ids never chosen nor drawn.
 */
export function lmBertMaskOptions(o: LmOptions & { maskProb: number }): BertMaskOptions {
  return { maskProb: o.maskProb, maskId: o.maskId, vocabSize: o.vocabSize, specialIds: [o.padId, o.maskId, o.eosId] };
}
