/** Options shared by the text language-model methods, and building their encoder. */
import { ConfigError, type Rng } from '@autodidact/core';
import { activeTokenizer } from '../data/active-tokenizer.js';
import { textEncoderConfig, TransformerTextEncoder } from '../models/transformer-text-encoder.js';

/** Architecture and special ids; the tokenizer fills vocabSize and ids when left at -1. */
export const LM_DEFAULTS = {
  /** Blocks. */
  layers: 2,
  /** Width. */
  dim: 128,
  /** Attention heads. */
  heads: 4,
  /** MLP width (0: 4 x dim). */
  mlpDim: 0,
  /** `learned` or `sinusoidal`. */
  positions: 'learned' as 'learned' | 'sinusoidal',
  /** Vocabulary size (-1: from the active tokenizer). */
  vocabSize: -1,
  /** Padding id (-1: from the active tokenizer). */
  padId: -1,
  /** Mask id (-1: from the active tokenizer). */
  maskId: -1,
  /** End-of-text id (-1: from the active tokenizer). */
  eosId: -1,
};
export type LmOptions = typeof LM_DEFAULTS;

/** Checks option names and types against the defaults and fills the tokenizer's values. */
export function resolveLmOptions<T extends LmOptions>(method: string, defaults: T, options: Partial<T>): T {
  const o = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(options)) {
    if (!Object.hasOwn(defaults, k))
      throw new ConfigError(`unknown option of ${method}; known: ${Object.keys(defaults).join(', ')}`, { field: k });
    const want = typeof (defaults as Record<string, unknown>)[k];
    const val = want === 'number' && typeof v === 'string' ? Number(v) : v;
    if (typeof val !== want || (want === 'number' && !Number.isFinite(val))) {
      throw new ConfigError(`expected a ${want}, got ${JSON.stringify(v)}`, { field: k });
    }
    o[k] = val;
  }
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
