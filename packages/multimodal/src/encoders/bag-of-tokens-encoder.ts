/**
 * A small text encoder: the mean of learned token embeddings over a text (a bag of tokens,
 * order ignored), as in fastText / the "CBOW" baselines. Texts are split with the GPT-2
 * pre-tokenizer of @autodidact/text ({@link byteLevelPieces}) and the pieces looked up in a
 * vocabulary built from the training texts; unknown pieces share one `<unk>` row. Enough for
 * short class descriptions ("a photo of a sneaker"), where word order carries little.
 */
import { ConfigError, ParamOwner, createParam, type Encoder, type EncoderConfig, type Rng } from '@autodidact/core';
import { byteLevelPieces } from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';

/** Saved configuration of a {@link BagOfTokensEncoder} (plain JSON). */
export interface BagOfTokensConfig extends EncoderConfig {
  kind: 'bag-of-tokens';
  modality: 'text';
  /** Vocabulary; index 0 is `<unk>`. `inputShape` is `[vocab.length]`. */
  vocab: string[];
}

/** The pieces of a text as the encoder sees them (lower-cased GPT-2 pre-tokens, spaces trimmed). */
export function textPieces(text: string): string[] {
  return byteLevelPieces(text.toLowerCase())
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** A vocabulary (`<unk>` first, then pieces in order of first appearance) of `texts`. */
export function buildVocab(texts: Iterable<string>): string[] {
  const vocab = ['<unk>'];
  const seen = new Set(vocab);
  for (const t of texts) {
    for (const p of textPieces(t)) {
      if (!seen.has(p)) {
        seen.add(p);
        vocab.push(p);
      }
    }
  }
  return vocab;
}

/** Index of each piece of `vocab` (its row in the encoder's table). */
export function vocabIndex(vocab: readonly string[]): Map<string, number> {
  return new Map(vocab.map((p, i) => [p, i]));
}

/**
 * Normalised token counts of `texts` over a vocabulary of `size` pieces indexed by `index`
 * (unknown pieces count as row 0, `<unk>`), `[texts.length, size]`: a bag-of-tokens encoder's input.
 */
export function tokenBags(texts: readonly string[], index: ReadonlyMap<string, number>, size: number): tf.Tensor2D {
  const data = new Float32Array(texts.length * size);
  texts.forEach((t, r) => {
    const pieces = textPieces(t);
    for (const p of pieces) data[r * size + (index.get(p) ?? 0)]! += 1 / Math.max(1, pieces.length);
  });
  return tf.tensor2d(data, [texts.length, size]);
}

/** Bag-of-tokens config of width `outputDim` over `vocab`. */
export function bagOfTokensConfig(vocab: readonly string[], outputDim = 64): BagOfTokensConfig {
  if (vocab.length < 2 || vocab[0] !== '<unk>') {
    throw new ConfigError(`expected a vocabulary starting with <unk> and at least one piece`, { field: 'vocab' });
  }
  if (!Number.isInteger(outputDim) || outputDim < 1) {
    throw new ConfigError(`expected a positive integer, got ${outputDim}`, { field: 'outputDim' });
  }
  return { kind: 'bag-of-tokens', modality: 'text', vocab: [...vocab], inputShape: [vocab.length], outputDim };
}

/** Mean-pooled token embeddings: bags `[batch, vocab]` (rows sum to 1) -> `[batch, outputDim]`. */
export class BagOfTokensEncoder extends ParamOwner implements Encoder<tf.Tensor> {
  /** The one parameter, under `<prefix>embedding/table`. */
  private readonly table: tf.Variable; // [vocab, outputDim]
  private readonly index: Map<string, number>;

  constructor(
    readonly config: BagOfTokensConfig,
    rng: Rng,
    prefix = 'encoder/',
  ) {
    super();
    const shape = [config.vocab.length, config.outputDim];
    this.table = createParam(this.params, `${prefix}embedding/table`, shape, { kind: 'normal', std: 0.1 }, rng);
    this.index = vocabIndex(config.vocab);
  }

  /** Normalised token counts of `texts`, `[texts.length, vocab]`: the encoder's input. */
  bags(texts: readonly string[]): tf.Tensor2D {
    return tokenBags(texts, this.index, this.config.vocab.length);
  }

  apply(batch: tf.Tensor, _training: boolean): tf.Tensor2D {
    return tf.matMul(batch as tf.Tensor2D, this.table);
  }
}
