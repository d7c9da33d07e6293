import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { accuracyOf, checkProbeData, type ProbeData, type ProbeResult } from './probe-result.js';

/** Options of {@link knnProbe}. */
export interface KnnProbeOptions extends ProbeData {
  /** Neighbours. Default 20. */
  k?: number;
  /** Temperature of the weights exp(sim / T). Default 0.07. */
  temperature?: number;
  /** Test rows scored per similarity block (memory: chunk × nTrain floats). Default 256. */
  chunkSize?: number;
  /** Training rows used for the leave-one-out train accuracy (the first ones). Default 2000. */
  trainAccuracySamples?: number;
}

/**
 * Weighted k-nearest-neighbour probe (Wu et al. 2018, "Unsupervised Feature Learning via
 * Non-Parametric Instance Discrimination"; the form solo-learn and DINO use): features are
 * L2-normalised, each test sample takes its k most cosine-similar training samples, each
 * votes for its class with weight exp(sim / T), and the class with the largest total wins.
 * `trainAccuracy` is leave-one-out accuracy on the first `trainAccuracySamples` training rows.
 */
export function knnProbe(options: KnnProbeOptions): ProbeResult {
  const { trainY, testY, numClasses } = checkProbeData(options);
  const k = options.k ?? 20;
  const temperature = options.temperature ?? 0.07;
  const chunk = options.chunkSize ?? 256;
  const nTrain = options.trainX.shape[0];
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`expected an integer >= 1, got ${k}`, { field: 'k' });
  if (!(temperature > 0))
    throw new ConfigError(`expected a positive number, got ${temperature}`, { field: 'temperature' });
  const bank = tf.tidy(() => normalize(options.trainX));
  const labels = tf.tensor1d(trainY, 'int32');
  try {
    const predictions = predict(
      bank,
      labels,
      options.testX,
      Math.min(k, nTrain),
      temperature,
      numClasses,
      chunk,
      false,
    );
    const nLoo = Math.min(nTrain, options.trainAccuracySamples ?? 2000);
    let trainAccuracy = Number.NaN;
    if (nTrain > 1 && nLoo > 0) {
      const head = tf.slice(options.trainX, [0, 0], [nLoo, -1]);
      const loo = predict(bank, labels, head, Math.min(k, nTrain - 1), temperature, numClasses, chunk, true);
      head.dispose();
      trainAccuracy = accuracyOf(loo, trainY.subarray(0, nLoo));
    }
    return {
      accuracy: accuracyOf(predictions, testY),
      trainAccuracy,
      nTrain,
      nTest: testY.length,
      numClasses,
      predictions,
    };
  } finally {
    tf.dispose([bank, labels]);
  }
}

function normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), 1e-12));
}

/** Predictions for `queries`; with `leaveOneOut`, query i is training row i and excluded from its own neighbours. */
function predict(
  bank: tf.Tensor2D,
  labels: tf.Tensor1D,
  queries: tf.Tensor2D,
  k: number,
  temperature: number,
  numClasses: number,
  chunk: number,
  leaveOneOut: boolean,
): Int32Array {
  const n = queries.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const pred = tf.tidy(() => {
      const q = normalize(tf.slice(queries, [start, 0], [size, -1]));
      let sim = tf.matMul(q, bank, false, true); // [size, nTrain]
      if (leaveOneOut) {
        const self = tf.oneHot(tf.range(start, start + size, 1, 'int32'), bank.shape[0]);
        sim = tf.sub(sim, tf.mul(self, 1e9)) as tf.Tensor2D;
      }
      const { values, indices } = tf.topk(sim, k);
      const weights = tf.exp(tf.div(values, temperature)); // [size, k]
      const votes = tf.oneHot(tf.gather(labels, indices), numClasses); // [size, k, C]
      const scores = tf.sum(tf.mul(votes, weights.expandDims(2)), 1); // [size, C]
      return tf.argMax(scores, 1);
    });
    out.set(pred.dataSync() as Int32Array, start);
    pred.dispose();
  }
  return out;
}
