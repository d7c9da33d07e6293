/**
 * The classical text baseline of the protocol: TF-IDF bag of words over the training documents'
 * `maxWords` most common words (by document frequency; ties by word), sublinear term frequency
 * (1 + ln tf), smoothed idf ln((1 + N) / (1 + df)), rows L2-normalised. Fitted on the training
 * split only.
 */
import * as tf from '@tensorflow/tfjs';

/** Fits the vocabulary and idf on `trainDocs` (each a list of words); returns the featuriser. */
export function fitTfidf(trainDocs: readonly string[][], maxWords = 5000): (docs: readonly string[][]) => tf.Tensor2D {
  const df = new Map<string, number>();
  for (const d of trainDocs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = [...df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxWords);
  const index = new Map(vocab.map(([w], i) => [w, i]));
  const idf = Float32Array.from(vocab, ([, n]) => Math.log((1 + trainDocs.length) / (1 + n)));
  return (docs) => {
    const out = new Float32Array(docs.length * vocab.length);
    docs.forEach((d, r) => {
      const v = out.subarray(r * vocab.length, (r + 1) * vocab.length);
      for (const w of d) {
        const i = index.get(w);
        if (i !== undefined) v[i]! += 1;
      }
      let norm = 0;
      for (let i = 0; i < v.length; i++) {
        v[i] = v[i]! > 0 ? (1 + Math.log(v[i]!)) * idf[i]! : 0;
        norm += v[i]! * v[i]!;
      }
      const s = 1 / Math.sqrt(norm || 1);
      for (let i = 0; i < v.length; i++) v[i]! *= s;
    });
    return tf.tensor2d(out, [docs.length, vocab.length]);
  };
}
