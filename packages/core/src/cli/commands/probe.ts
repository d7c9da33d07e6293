import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../backend/index.js';
import { closeDataset } from '../../data/streaming-dataset.js';
import { embedDataset, knnProbe, linearProbe } from '../../eval/index.js';
import { type EncoderDataFlags, encoderLoadOptions, loadLabeledSplits } from '../encoder-data.js';
import { commandMessages } from '../log-output.js';
import { parseIntFlag } from '../parse-options.js';
import { restoreEncoder } from '../restore-encoder.js';

export interface ProbeFlags extends EncoderDataFlags {
  train: string;
  test: string;
  kind: 'linear' | 'knn';
  k: string;
  trainLimit?: string;
  testLimit?: string;
  seed: string;
  randomInit?: boolean;
}

/** `autodidact probe <checkpoint> --train p --test p [--kind linear|knn]`: one JSON line. */
export async function probeCommand(checkpoint: string, flags: ProbeFlags): Promise<void> {
  const { say, quietBackend } = commandMessages(flags);
  const backend = await initBackend({ prefer: flags.backend, quiet: quietBackend });
  const seed = parseIntFlag('--seed', flags.seed) ?? 0;
  const trainLimit = parseIntFlag('--train-limit', flags.trainLimit, 1);
  const testLimit = parseIntFlag('--test-limit', flags.testLimit, 1);
  const k = parseIntFlag('--k', flags.k, 1);
  const restored = await restoreEncoder(resolve(checkpoint), { randomInit: flags.randomInit, seed });
  const { encoder, modality, meta } = restored;
  const { train, test } = await loadLabeledSplits(modality, encoderLoadOptions(restored, flags, say), {
    train: { path: flags.train, flag: '--train', limit: trainLimit },
    test: { path: flags.test, flag: '--test', limit: testLimit },
  });
  const embed = (b: unknown) => encoder.apply(b, false);
  const trainX = await embedDataset(embed, train);
  const testX = await embedDataset(embed, test);
  const args = { trainX, trainY: train.labels, testX, testY: test.labels, seed };
  const result = flags.kind === 'knn' ? knnProbe({ ...args, k }) : await linearProbe(args);
  tf.dispose([trainX, testX]);
  encoder.dispose();
  await closeDataset(train);
  await closeDataset(test);
  say(`${flags.kind} probe accuracy ${(100 * result.accuracy).toFixed(1)}% on ${test.size} test samples`, {
    accuracy: result.accuracy,
  });
  process.stdout.write(
    `${JSON.stringify({
      accuracy: result.accuracy,
      n_train: train.size,
      n_test: test.size,
      kind: flags.kind,
      method: meta.method,
      modality: meta.modality,
      random_init: Boolean(flags.randomInit),
      backend: backend.name,
    })}\n`,
  );
}
