/** Options shared by the text language-model methods, the text methods' definitions, and building their encoder. */
import {
  ConfigError,
  type DefinedMethod,
  methodDefiner,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type TrainerOptions,
} from '@autodidact/core';
import { activeTokenizer } from '../data/active-tokenizer.js';
import { textEncoderConfig, TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import type { BertMaskOptions } from './bert-masking.js';

/** Adam with warm-up, cosine decay and clipping: the usual small-transformer recipe. */
export const TEXT_TRAINER_DEFAULTS: Partial<TrainerOptions> = {
  batchSize: 32,
  epochs: 1,
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { kind: 'cosine', warmupSteps: 50, minLrRatio: 0.1 },
  clipGradNorm: 1,
};

/**
 * A text method's definition (`modality: 'text'`; {@link TEXT_TRAINER_DEFAULTS} unless it gives
 * its own): what `autodidact pretrain text --method <name>` builds.
 */
export const textMethod = methodDefiner('text', TEXT_TRAINER_DEFAULTS);

/** Architecture and special ids; the tokenizer fills vocabSize and ids when left at -1. */
export const LM_OPTIONS = {
  layers: { type: 'integer', default: 2, min: 1, description: 'Blocks.' },
  dim: { type: 'integer', default: 128, min: 1, description: 'Width.' },
  heads: { type: 'integer', default: 4, min: 1, description: 'Attention heads.' },
  mlpDim: { type: 'integer', default: 0, min: 0, description: 'MLP width (0: 4 x dim).' },
  positions: {
    type: 'enum',
    choices: ['learned', 'sinusoidal'],
    default: 'learned' as 'learned' | 'sinusoidal',
    description: '`learned` or `sinusoidal`.',
  },
  vocabSize: {
    type: 'integer',
    default: -1,
    min: -1,
    description: 'Vocabulary size (-1: from the active tokenizer).',
  },
  padId: { type: 'integer', default: -1, min: -1, description: 'Padding id (-1: from the active tokenizer).' },
  maskId: { type: 'integer', default: -1, min: -1, description: 'Mask id (-1: from the active tokenizer).' },
  eosId: { type: 'integer', default: -1, min: -1, description: 'End-of-text id (-1: from the active tokenizer).' },
} satisfies OptionTable;
/** Options of every text LM method ({@link LM_OPTIONS}). */
export type LmOptions = OptionsOf<typeof LM_OPTIONS>;

/**
 * Checks options against the method's definition, merges them over its defaults and fills the
 * tokenizer's values for ids left at -1.
 */
export function resolveLmOptions<T extends LmOptions>(method: DefinedMethod<T>, options: Partial<T>): T {
  const r = method.resolve(options);
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
