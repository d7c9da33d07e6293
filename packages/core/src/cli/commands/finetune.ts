import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../backend/index.js';
import { closeDataset } from '../../data/streaming-dataset.js';
import { subsetDataset } from '../../data/subset.js';
import { ConfigError } from '../../errors.js';
import { embedDataset, fineTune, labelFractionIndices, linearProbe } from '../../eval/index.js';
import { saveEncoder } from '../../methods/saved-encoder.js';
import { parseCheckpointEvery } from '../checkpoint-every.js';
import { type EncoderDataFlags, encoderLoadOptions, loadLabeledSplits } from '../encoder-data.js';
import { commandMessages, type LogFormat } from '../log-output.js';
import { prepareOutDir } from '../out-dir.js';
import { parseIntFlag, parseNumberFlag } from '../parse-options.js';
import { restoreEncoder } from '../restore-encoder.js';
import { FINETUNE_HINTS } from '../setting-hints.js';
import { encoderDir } from './export.js';

/** Flags of `autodidact finetune` as commander hands them over. */
export interface FinetuneFlags extends EncoderDataFlags {
  /** A folder written by pretrain (or finetune --out), or its encoder.json. */
  checkpoint: string;
  /** Labelled training data. */
  data: string;
  /** Labelled test data. */
  test: string;
  steps?: string;
  epochs?: string;
  lr?: string;
  headLr?: string;
  batchSize?: string;
  weightDecay?: string;
  labelFraction?: string;
  freeze?: 'none' | 'encoder';
  /** Hidden widths of an MLP head, comma-separated (none: a linear head). */
  headHidden?: string;
  trainLimit?: string;
  testLimit?: string;
  seed: string;
  randomInit?: boolean;
  /** Folder to save the fine-tuned encoder in (pretrain's format); its `checkpoints/` holds the run's checkpoints. */
  out?: string;
  /** Checkpoint cadence: steps (`200`) or wall time (`5m`). Default: 500 steps or 2 minutes, whichever first. */
  checkpointEvery?: string;
  /** Resume from `<out>/checkpoints` (default true; `--no-resume` starts over). */
  resume?: boolean;
  /** `text` or `json` progress and messages on stderr (default env AUTODIDACT_LOG_FORMAT). */
  logFormat?: LogFormat;
}

/**
 * `autodidact finetune <modality> --checkpoint <run> --data <train> --test <test>`: fine-tunes
 * the saved encoder with a fresh classification head (core's `fineTune`) and prints one JSON
 * line with its test accuracy beside the frozen linear probe of the same encoder on the same
 * labels. `--out` saves the fine-tuned encoder as pretrain does, so embed, probe and export
 * accept it; the run is the Trainer's (the fine-tuning task), so `<out>/checkpoints` holds its
 * checkpoints and a killed run resumes exactly (`--no-resume` starts over).
 */
export async function finetuneCommand(modalityName: string, flags: FinetuneFlags): Promise<void> {
  const { quiet, logFormat, quietBackend, say } = commandMessages(flags);
  // Check everything the user typed before any work starts.
  const seed = parseIntFlag('--seed', flags.seed) ?? 0;
  const steps = parseIntFlag('--steps', flags.steps, 1);
  const epochs = parseIntFlag('--epochs', flags.epochs, 1);
  const batchSize = parseIntFlag('--batch-size', flags.batchSize, 1);
  const lr = parseNumberFlag('--lr', flags.lr);
  const headLr = parseNumberFlag('--head-lr', flags.headLr);
  const weightDecay = flags.weightDecay === undefined ? undefined : Number(flags.weightDecay);
  if (weightDecay !== undefined && !(Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new ConfigError(`expected a number >= 0, got '${flags.weightDecay}'`, { field: '--weight-decay' });
  }
  const labelFraction = parseNumberFlag('--label-fraction', flags.labelFraction) ?? 1;
  if (labelFraction > 1) {
    throw new ConfigError(`expected a number in (0, 1], got '${flags.labelFraction}'`, { field: '--label-fraction' });
  }
  const freeze = flags.freeze ?? 'none';
  if (freeze !== 'none' && freeze !== 'encoder') {
    throw new ConfigError(`expected 'none' or 'encoder', got '${String(freeze)}'`, { field: '--freeze' });
  }
  const headHidden = (flags.headHidden ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => parseIntFlag('--head-hidden', s.trim(), 1)!);
  const trainLimit = parseIntFlag('--train-limit', flags.trainLimit, 1);
  const testLimit = parseIntFlag('--test-limit', flags.testLimit, 1);
  const cadence = parseCheckpointEvery(flags.checkpointEvery);
  if (flags.checkpointEvery !== undefined && !flags.out) {
    throw new ConfigError('needs --out: checkpoints are written to <out>/checkpoints', { field: '--checkpoint-every' });
  }
  // Before anything loads: an --out that cannot be written would otherwise fail after training.
  const out = flags.out === undefined ? undefined : await prepareOutDir(flags.out, '--out');

  const backend = await initBackend({ prefer: flags.backend, quiet: quietBackend });
  const dir = await encoderDir(flags.checkpoint);
  const restored = await restoreEncoder(dir, { randomInit: flags.randomInit, seed });
  const { encoder, modality, meta } = restored;
  try {
    if (meta.modality !== modalityName) {
      throw new ConfigError(`the encoder in ${dir} is of modality '${meta.modality}', not '${modalityName}'`, {
        field: 'modality',
      });
    }
    const load = encoderLoadOptions(restored, flags, say);
    const { train, test } = await loadLabeledSplits(modality, load, {
      train: { path: flags.data, flag: '--data', limit: trainLimit },
      test: { path: flags.test, flag: '--test', limit: testLimit },
    });
    try {
      if (train.size === 0) throw new ConfigError(`no samples in ${flags.data}`, { field: '--data' });
      // The frozen linear probe sees the same labelled subset the fine-tuning will.
      const keep = labelFractionIndices(train.labels, labelFraction, seed);
      const probeTrain = subsetDataset(train, keep);
      const embed = (b: unknown) => encoder.apply(b, false);
      const trainX = await embedDataset(embed, probeTrain);
      const testX = await embedDataset(embed, test);
      let probeAccuracy: number;
      try {
        probeAccuracy = (await linearProbe({ trainX, trainY: probeTrain.labels!, testX, testY: test.labels, seed }))
          .accuracy;
      } finally {
        tf.dispose([trainX, testX]);
      }
      say(
        `fine-tuning ${meta.modality}/${encoder.config.kind} (${flags.randomInit ? 'random init' : meta.method}) ` +
          `on ${keep.length} labelled samples${freeze === 'encoder' ? ', encoder frozen' : ''} with ${backend.name}`,
      );
      const result = await fineTune({
        encoder,
        train,
        test,
        freeze,
        headHidden,
        steps,
        epochs,
        batchSize,
        lr,
        headLr,
        weightDecay,
        labelFraction,
        seed,
        progress: { quiet, format: logFormat },
        ...(out
          ? {
              checkpointDir: join(out, 'checkpoints'),
              ...cadence,
              resume: flags.resume ?? true,
              // A checkpoint of another source encoder or data set is not this run's.
              resumeKey: { checkpoint: dir, randomInit: Boolean(flags.randomInit), data: resolve(flags.data) },
              hints: FINETUNE_HINTS,
            }
          : {}),
      });
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      say(
        `fine-tuned accuracy ${pct(result.accuracy)} on ${test.size} test samples ` +
          `(frozen linear probe of the same encoder: ${pct(probeAccuracy)})`,
        { accuracy: result.accuracy, linear_probe_accuracy: probeAccuracy },
      );
      if (out) {
        await saveEncoder(out, encoder.allVariables(), {
          modality: meta.modality,
          method: meta.method,
          methodOptions: meta.methodOptions,
          encoderConfig: encoder.config,
          loaderOptions: load.loader,
          fineTuned: {
            from: dir,
            randomInit: Boolean(flags.randomInit),
            data: resolve(flags.data),
            nTrain: result.nTrain,
            freeze,
            labelFraction,
            headHidden,
            steps: result.steps,
            seed,
            accuracy: result.accuracy,
            classNames: train.classNames,
          },
          backend: backend.name,
        });
        say(`fine-tuned encoder saved to ${out}`, { out });
      }
      process.stdout.write(
        `${JSON.stringify({
          accuracy: result.accuracy,
          train_accuracy: result.trainAccuracy,
          linear_probe_accuracy: probeAccuracy,
          n_train: result.nTrain,
          n_test: result.nTest,
          steps: result.steps,
          ...(result.resumedFromStep !== undefined ? { resumed_from_step: result.resumedFromStep } : {}),
          final_loss: result.lossHistory[result.lossHistory.length - 1],
          freeze,
          label_fraction: labelFraction,
          method: meta.method,
          modality: meta.modality,
          random_init: Boolean(flags.randomInit),
          backend: backend.name,
          ...(out ? { out } : {}),
        })}\n`,
      );
    } finally {
      await closeDataset(train);
      await closeDataset(test);
    }
  } finally {
    encoder.dispose();
  }
}
