/**
 * Re-estimates an encoder's batch-norm running statistics on data, leaving every trainable
 * weight alone: the "random init" baseline a reviewer accepts (a freshly built network keeps
 * running mean 0 and variance 1, which on real inputs squashes its embeddings to a handful of
 * directions), and the "precise BN" step of Wu & Johnson 2021, "Rethinking 'Batch' in
 * BatchNorm" (fvcore's `update_bn_stats`).
 *
 * Each batch runs through the encoder in training mode, so every batch-norm layer normalises with
 * that batch's statistics, as in a training step; the per-batch mean and (biased) variance of
 * every layer are pooled over all batches, weighted by batch size:
 *   mean = Σ n_b μ_b / N,   var = Σ n_b (σ²_b + μ_b²) / N − mean².
 * The batch statistics are read back through the moving averages the layers already keep
 * (moving ← moving − (moving − batch) · (1 − momentum)): with the moving value set to 0 before a
 * batch it becomes (1 − momentum) · batch. (1 − momentum) is measured once per layer from the
 * first batch (a second pass with the moving mean set to 1), so any layer that keeps its
 * averages this way works without access to its configuration.
 * Batch-norm layers are found by their variables: `<name>/moving_mean` beside `<name>/moving_variance`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import { ConfigError } from '../errors.js';
import type { Encoder } from '../methods/encoder.js';

/** Options of {@link reestimateBatchNorm}. */
export interface ReestimateBatchNormOptions {
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
  /** Samples read (the first ones). Default: the whole dataset. */
  maxSamples?: number;
}

/** What {@link reestimateBatchNorm} did. */
export interface ReestimateBatchNormResult {
  /** Batch-norm layers whose statistics were replaced. */
  layers: number;
  /** Samples the statistics were estimated from. */
  samples: number;
}

interface Stats {
  name: string;
  mean: tf.Variable;
  variance: tf.Variable;
  /** 1 − momentum of the layer, per channel. */
  decay?: Float64Array;
  sumMean?: Float64Array;
  sumSquare?: Float64Array;
}

/** The encoder's batch-norm running statistics, by layer. */
export function batchNormStatistics<B>(
  encoder: Encoder<B>,
): { name: string; mean: tf.Variable; variance: tf.Variable }[] {
  const all = encoder.allVariables();
  const out: { name: string; mean: tf.Variable; variance: tf.Variable }[] = [];
  for (const [name, v] of all) {
    if (!name.endsWith('/moving_mean')) continue;
    const layer = name.slice(0, -'/moving_mean'.length);
    const variance = all.get(`${layer}/moving_variance`);
    if (variance) out.push({ name: layer, mean: v, variance });
  }
  return out;
}

/**
 * Replaces the running mean and variance of every batch-norm layer of `encoder` with the
 * statistics of `dataset` (see the file header). Trainable weights are not touched; an encoder
 * without batch norm is left as it is (`layers: 0`). Memory holds one batch at a time.
 */
export function reestimateBatchNorm<B>(
  encoder: Encoder<B>,
  dataset: Dataset<B>,
  options: ReestimateBatchNormOptions = {},
): ReestimateBatchNormResult {
  const batchSize = options.batchSize ?? 256;
  const total = Math.min(dataset.size, options.maxSamples ?? dataset.size);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ConfigError(`expected an integer >= 1, got ${batchSize}`, { field: 'batchSize' });
  if (!(total >= 1)) throw new ConfigError(`no samples to estimate batch-norm statistics from`, { field: 'dataset' });
  const layers: Stats[] = batchNormStatistics(encoder);
  if (layers.length === 0) return { layers: 0, samples: 0 };

  const setAll = (meanValue: number, varianceValue: number) => {
    for (const s of layers) {
      tf.tidy(() => {
        s.mean.assign(tf.fill(s.mean.shape, meanValue));
        s.variance.assign(tf.fill(s.variance.shape, varianceValue));
      });
    }
  };
  const forward = (batch: B) => tf.tidy(() => void encoder.apply(batch, true));
  const read = (v: tf.Variable) => Float64Array.from(v.dataSync());

  let seen = 0;
  for (let start = 0; start < total; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    const batch = dataset.getBatch(Array.from({ length: n }, (_, i) => start + i));
    try {
      if (start === 0) {
        // (1 − momentum) per layer: moving mean 1 before the batch gives 1 − d + d·μ, 0 gives d·μ.
        setAll(1, 1);
        forward(batch);
        const fromOne = layers.map((s) => read(s.mean));
        setAll(0, 0);
        forward(batch);
        for (const [i, s] of layers.entries()) {
          const fromZero = read(s.mean);
          s.decay = fromOne[i]!.map((v, c) => 1 - (v - fromZero[c]!));
          if (s.decay.some((d) => !(d > 1e-6 && d <= 1 + 1e-6))) {
            throw new ConfigError(`batch-norm layer ${s.name} does not update its moving averages in training mode`);
          }
        }
      } else {
        setAll(0, 0);
        forward(batch);
      }
      for (const s of layers) {
        const mu = read(s.mean).map((v, c) => v / s.decay![c]!);
        const variance = read(s.variance).map((v, c) => v / s.decay![c]!);
        s.sumMean ??= new Float64Array(mu.length);
        s.sumSquare ??= new Float64Array(mu.length);
        for (let c = 0; c < mu.length; c++) {
          s.sumMean[c]! += n * mu[c]!;
          s.sumSquare[c]! += n * (variance[c]! + mu[c]! * mu[c]!);
        }
      }
      seen += n;
    } finally {
      tf.dispose(batch as unknown as tf.TensorContainer);
    }
  }
  for (const s of layers) {
    const mean = s.sumMean!.map((v) => v / seen);
    const variance = s.sumSquare!.map((v, c) => Math.max(0, v / seen - mean[c]! * mean[c]!));
    tf.tidy(() => {
      s.mean.assign(tf.tensor(Float32Array.from(mean), s.mean.shape));
      s.variance.assign(tf.tensor(Float32Array.from(variance), s.variance.shape));
    });
  }
  return { layers: layers.length, samples: seen };
}
