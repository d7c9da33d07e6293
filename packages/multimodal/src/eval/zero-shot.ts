/**
 * Zero-shot classification and cross-modal retrieval in a shared embedding space (CLIP,
 * Radford et al. 2021, sec. 3.1.2): a class is represented by the mean embedding of its
 * examples in the other modality (its spoken clips, its descriptions), and a query is given
 * the class of the most cosine-similar prototype. No label of the query modality is used.
 */
import { l2NormalizeRows, ShapeError } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** Unit-norm mean embedding of each class, `[numClasses, dim]`, from `emb` `[n, dim]` and its labels. */
export function classPrototypes(emb: tf.Tensor2D, labels: Int32Array, numClasses: number): tf.Tensor2D {
  if (emb.shape[0] !== labels.length) {
    throw new ShapeError(`classPrototypes: ${emb.shape[0]} embeddings but ${labels.length} labels`);
  }
  return tf.tidy(() => {
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat(); // [n, C]
    const sums = tf.matMul(onehot, l2NormalizeRows(emb), true, false); // [C, dim]
    return l2NormalizeRows(sums as tf.Tensor2D);
  });
}

/** Index of the most cosine-similar prototype for each query: `[n, dim] x [C, dim] -> Int32Array(n)`. */
export function nearestPrototype(queries: tf.Tensor2D, prototypes: tf.Tensor2D): Int32Array {
  const idx = tf.tidy(() =>
    tf.argMax(tf.matMul(l2NormalizeRows(queries), l2NormalizeRows(prototypes), false, true), 1),
  );
  const out = Int32Array.from(idx.dataSync());
  idx.dispose();
  return out;
}

/** Fraction of `queries` whose nearest prototype (built from `support` and its labels) is their own class. */
export function zeroShotAccuracy(
  queries: tf.Tensor2D,
  queryLabels: Int32Array,
  support: tf.Tensor2D,
  supportLabels: Int32Array,
  numClasses: number,
): number {
  const protos = classPrototypes(support, supportLabels, numClasses);
  const pred = nearestPrototype(queries, protos);
  protos.dispose();
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === queryLabels[i]) hit++;
  return hit / pred.length;
}

/** Recall@k of pair retrieval and the class precision@1, with their chance levels. */
export interface RetrievalScores {
  /** Pairs in the gallery. */
  n: number;
  /** Fraction of queries whose own pair is among the k most similar gallery items, per k. */
  recall: Record<number, number>;
  /** Chance of each recall@k: k / n. */
  chance: Record<number, number>;
  /** Fraction of queries whose top-1 item has the query's class (chance about 1 / classes). */
  classPrecision1: number;
}

/**
 * Retrieval from `queries` `[n, dim]` into `gallery` `[n, dim]` where row i of each is a pair.
 * `labels` (class of pair i) gives the class precision@1.
 */
export function retrieval(
  queries: tf.Tensor2D,
  gallery: tf.Tensor2D,
  labels: Int32Array,
  ks: readonly number[] = [1, 5],
): RetrievalScores {
  if (queries.shape[0] !== gallery.shape[0] || queries.shape[0] !== labels.length) {
    throw new ShapeError(
      `retrieval: queries [${queries.shape}], gallery [${gallery.shape}] and ${labels.length} labels must have one row count`,
    );
  }
  const n = queries.shape[0];
  const sim = tf.tidy(() => tf.matMul(l2NormalizeRows(queries), l2NormalizeRows(gallery), false, true));
  const s = sim.dataSync();
  sim.dispose();
  const recall: Record<number, number> = {};
  const chance: Record<number, number> = {};
  for (const k of ks) {
    recall[k] = 0;
    chance[k] = Math.min(1, k / n);
  }
  let classHits = 0;
  for (let i = 0; i < n; i++) {
    const own = s[i * n + i]!;
    let above = 0; // gallery items strictly more similar than the pair (ties favour the pair)
    let best = 0;
    for (let j = 0; j < n; j++) {
      const v = s[i * n + j]!;
      if (v > own) above++;
      if (v > s[i * n + best]!) best = j;
    }
    for (const k of ks) if (above < k) recall[k]!++;
    if (labels[best] === labels[i]) classHits++;
  }
  for (const k of ks) recall[k]! /= n;
  return { n, recall, chance, classPrecision1: classHits / n };
}
