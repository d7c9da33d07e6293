/**
 * The slow-backend guard of `autodidact pretrain`: an estimate from a real timed step, a refusal
 * that states the estimate and both ways out, and the CLI refusing before it writes anything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { FAST_BACKEND_FIX } from '../backend/init-backend.js';
import { ConfigError } from '../errors.js';
import { mnistTrain } from '../test-support/mnist.js';
import { runCli } from '../test-support/run-cli.js';
import { tempDirs } from '../test-support/temp-dirs.js';
import { estimateRun, formatDuration, refuseSlowRun, SLOW_RUN_LIMIT_SECONDS } from './slow-run-guard.js';

describe('slow-run guard', () => {
  const tempDir = tempDirs();

  it('refuses over the limit, naming the estimate, the fast-backend command and --allow-slow', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(720)).toBe('12 min');
    expect(formatDuration(3 * 3600 + 360)).toBe('3.1 h');
    expect(() => refuseSlowRun({ secondsPerStep: 20, steps: 150, seconds: 3000 }, 'cpu')).not.toThrow();
    expect(() => refuseSlowRun(undefined, 'cpu')).not.toThrow();
    const over = { secondsPerStep: 74, steps: 150, seconds: 74 * 150 };
    expect(over.seconds).toBeGreaterThan(SLOW_RUN_LIMIT_SECONDS);
    expect(() => refuseSlowRun(over, 'cpu')).toThrow(ConfigError);
    expect(() => refuseSlowRun(over, 'cpu')).toThrow(
      `this run would take about 3.1 h on the slow 'cpu' backend (150 steps x 74 s per step, timed here). ` +
        `For the fast native backend run: ${FAST_BACKEND_FIX}; or, to train on 'cpu' anyway, add --allow-slow`,
    );
  });

  it.skipIf(!haveDigits)(
    'estimates from one timed step at a small batch, scaled to the run; no tensors left',
    async () => {
      const { x, y } = loadDigits();
      const data = new DigitsDataset(tf.tensor2d(x), y);
      const before = tf.memory().numTensors;
      const create = () => new DigitsClassifier({ hidden: 32, seed: 1, noise: 0 });
      const e = await estimateRun({ create, dataset: data, trainer: { batchSize: 64, epochs: 3 } });
      expect(tf.memory().numTensors).toBe(before);
      data.x.dispose();
      expect(e).toBeDefined();
      expect(e!.steps).toBe(3 * Math.floor(y.length / 64));
      expect(e!.secondsPerStep).toBeGreaterThan(0);
      expect(e!.secondsPerStep).toBeLessThan(5); // a 64-32-10 MLP step on 8 rows, scaled by 8
      expect(e!.seconds).toBeCloseTo(e!.secondsPerStep * e!.steps, 9);
    },
  );

  it.skipIf(!existsSync(mnistTrain))(
    'the CLI refuses a long run on --backend cpu before writing anything, and runs it with --allow-slow',
    async () => {
      const dir = await tempDir('autodidact-slow-');
      const args = (out: string, steps: string) => [
        'pretrain',
        'vision',
        '--method',
        'simclr',
        '--option',
        'encoder=mlp',
        '--data',
        mnistTrain,
        '--limit',
        '64',
        '--batch-size',
        '32',
        '--steps',
        steps,
        '--backend',
        'cpu',
        '--map-samples',
        '0',
        '--out',
        out,
      ];
      const runs = [
        await runCli(args(join(dir, 'refused'), '100000000')),
        await runCli([...args(join(dir, 'allowed'), '2'), '--allow-slow']),
      ];
      const text = runs.map((r) => r.stderr).join('');
      expect(runs.map((r) => r.code)).toEqual([2, 0]);
      expect(text).toMatch(/error: this run would take about [\d.]+ h on the slow 'cpu' backend \(100000000 steps x /);
      expect(text).toContain(FAST_BACKEND_FIX);
      expect(text).toContain('--allow-slow');
      expect(existsSync(join(dir, 'refused'))).toBe(false);
      expect(existsSync(join(dir, 'allowed', 'encoder.json'))).toBe(true);
    },
    120_000,
  );
});
