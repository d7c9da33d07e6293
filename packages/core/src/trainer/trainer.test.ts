import { readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import { CheckpointError, ConfigError, NumericalError } from '../errors.js';
import type { Method } from '../methods/method.js';
import type { StepInfo, TrainerCallback } from './callbacks.js';
import { diagnosticsInterval, type OptimizerOptions, resolveTrainerOptions } from './options.js';
import { ProgressReporter } from './progress.js';
import { Trainer } from './trainer.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { tempDir } from '../test-support/temp-dirs.js';
import {
  type Batch,
  type ClassifierOptions,
  DigitsClassifier,
} from '../../../../tools/fixtures/optim/digits-classifier.js';

const haveDigits = digitsPresent('trainer tests');

const baseOptions = (over: Partial<ClassifierOptions> = {}): ClassifierOptions => ({
  hidden: 16,
  seed: 1,
  noise: 0.1,
  ...over,
});

function snapshot(method: Method<Batch>): Map<string, Float32Array> {
  return new Map([...method.stateVariables()].map(([k, v]) => [k, v.dataSync() as Float32Array] as const));
}

describe.skipIf(!haveDigits)('Trainer on digits', () => {
  const digits = useDigits({ train: 1024 });
  const dir = tempDir('autodidact-trainer-');

  it('learns: loss falls by more than 75%, tensors stay flat, callbacks run in order', async () => {
    const method = new DigitsClassifier(baseOptions());
    const events: string[] = [];
    const counts: number[] = [];
    const infos: StepInfo[] = [];
    const cb: TrainerCallback = {
      onTrainStart: (i) => {
        events.push(`start ${i.totalSteps} ${i.stepsPerEpoch}`);
      },
      onStepEnd: async (i) => {
        infos.push(i);
        counts.push(tf.memory().numTensors);
        await new Promise((r) => setTimeout(r, 0)); // async callbacks are awaited
      },
      onEpochEnd: (i) => {
        events.push(`epoch ${i.epoch} at ${i.step}`);
      },
      onTrainEnd: (r) => {
        events.push(`end ${r.steps}`);
      },
    };
    const trainer = new Trainer(
      method,
      {
        batchSize: 64,
        epochs: 6,
        optimizer: { name: 'adam', lr: 0.03 },
        schedule: { kind: 'cosine', warmupSteps: 5 },
        quiet: true,
        diagnosticsEvery: 16,
      },
      [cb],
    );
    const r = await trainer.fit(digits.train);
    expect(r.steps).toBe(96);
    expect(r.epochs).toBe(6);
    expect(r.lossHistory).toHaveLength(96);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(r.lossHistory.slice(0, 5));
    const last = mean(r.lossHistory.slice(-5));
    console.log(`digits classifier: loss ${first.toFixed(3)} -> ${last.toFixed(3)} in ${r.seconds.toFixed(2)} s`);
    expect(last).toBeLessThan(0.25 * first);
    expect(infos.at(-1)!.metrics.accuracy).toBeGreaterThan(0.8);
    expect(events).toEqual([
      'start 96 16',
      ...[0, 1, 2, 3, 4, 5].map((e) => `epoch ${e} at ${16 * (e + 1)}`),
      'end 96',
    ]);
    // Same tensor count after every step once warmed up.
    expect(new Set(counts.slice(2)).size).toBe(1);
    // Schedule applied: warm-up then cosine.
    expect(infos[0]!.lr).toBeCloseTo(0.006, 9);
    expect(infos[4]!.lr).toBeCloseTo(0.03, 9);
    expect(infos[95]!.lr).toBeLessThan(1e-4);
    // Diagnostics every 16 steps, healthy for a learning classifier.
    expect(infos.filter((i) => i.diagnostics).map((i) => i.step)).toEqual([16, 32, 48, 64, 80, 96]);
    expect(infos[95]!.diagnostics!.stdRatio).toBeGreaterThan(0.2);
    expect(r.warnings).toEqual([]);
    method.dispose();
    trainer.optimizer?.dispose();
  });

  const optimizers: OptimizerOptions[] = [
    { name: 'adam', lr: 0.01 },
    { name: 'sgd', lr: 0.2, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    { name: 'lars', lr: 2, momentum: 0.9, weightDecay: 1e-4, trustCoefficient: 0.02 },
  ];
  for (const optimizer of optimizers) {
    it(`resume (${optimizer.name}): stop at step 13, resume in a fresh trainer to 30 = uninterrupted run`, async () => {
      const options = {
        batchSize: 100, // 10 steps per epoch: the stop falls mid-epoch
        steps: 30,
        optimizer,
        schedule: { kind: 'cosine' as const, warmupSteps: 3 },
        clipGradNorm: 5,
        quiet: true,
        checkpointEvery: 7,
        diagnosticsEvery: 0,
      };
      const full = new DigitsClassifier(baseOptions());
      const a = await new Trainer(full, options).fit(digits.train);
      const ckdir = join(dir.path, `resume-${optimizer.name}`);
      const first = new DigitsClassifier(baseOptions());
      const t1: Trainer<Batch> = new Trainer(first, { ...options, checkpointDir: ckdir }, [
        {
          onStepEnd: (i): void => {
            if (i.step === 13) t1.stop('test interruption');
          },
        },
      ]);
      const b1 = await t1.fit(digits.train);
      expect(b1.steps).toBe(13);
      expect(b1.stoppedReason).toBe('test interruption');
      expect((await loadCheckpoint(ckdir)).step).toBe(13);
      first.dispose();
      t1.optimizer?.dispose();
      // A fresh method with different initial weights: everything must come from the checkpoint.
      const second = new DigitsClassifier(baseOptions());
      for (const [i, v] of [...second.stateVariables().values()].entries()) {
        v.assign(tf.randomNormal(v.shape, 0, 1, v.dtype as 'float32', 1000 + i));
      }
      const t2 = new Trainer(second, { ...options, checkpointDir: ckdir });
      const b2 = await t2.fit(digits.train);
      expect(b2.resumedFromStep).toBe(13);
      expect(b2.steps).toBe(30);
      expect(b2.lossHistory).toEqual(a.lossHistory);
      const wa = snapshot(full);
      const wb = snapshot(second);
      for (const [k, v] of wa) expect(Array.from(wb.get(k)!), k).toEqual(Array.from(v));
      // Optimizer slots and step count continue too.
      expect(t2.optimizer!.stepCount).toBe(30);
      const ck = await loadCheckpoint(ckdir);
      expect(ck.step).toBe(30);
      expect(ck.state.data as { epoch: number; cursor: number }).toMatchObject({ epoch: 3, cursor: 0 });
      tf.dispose([...ck.tensors.values()]);
      full.dispose();
      second.dispose();
      t2.optimizer?.dispose();
    });
  }

  it('a truncated checkpoint or a model that does not fit it is a CheckpointError', async () => {
    const ckdir = join(dir.path, 'corrupt');
    const options = { batchSize: 128, steps: 4, quiet: true, checkpointDir: ckdir, diagnosticsEvery: 0 };
    const m1 = new DigitsClassifier(baseOptions());
    const r = await new Trainer(m1, options).fit(digits.train);
    expect(r.checkpoint).toBe(join(ckdir, 'step-000004'));
    const wider = new DigitsClassifier(baseOptions({ hidden: 8 }));
    await expect(new Trainer(wider, { ...options, steps: 8 }).fit(digits.train)).rejects.toThrow(
      /settings differ from the checkpoint's: hidden 8 \(checkpoint: 16\); resume with method option hidden: 16, or pass resume: false to start over$/,
    );
    await expect(new Trainer(m1, { ...options, steps: 8, batchSize: 64 }).fit(digits.train)).rejects.toThrow(
      CheckpointError,
    );
    const bin = join(ckdir, 'step-000004', 'weights.bin');
    await truncate(bin, (await readFile(bin)).byteLength - 8);
    const err = await new Trainer(m1, { ...options, steps: 8 }).fit(digits.train).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(String(err)).toContain(join(ckdir, 'step-000004'));
    m1.dispose();
    wider.dispose();
  });

  it('NaN loss: stops with a NumericalError naming the step and the tensor, after saving the last good state', async () => {
    const ckdir = join(dir.path, 'nan-loss');
    const m = new DigitsClassifier(baseOptions({ nanLossAtStep: 5 }));
    const ends: (string | undefined)[] = [];
    const t = new Trainer(m, { batchSize: 64, steps: 20, quiet: true, checkpointDir: ckdir, checkpointEvery: 100 }, [
      { onTrainEnd: (r) => void ends.push(r.stoppedReason) },
    ]);
    const err = (await t.fit(digits.train).catch((e: unknown) => e)) as NumericalError;
    expect(err).toBeInstanceOf(NumericalError);
    expect(err.step).toBe(6);
    expect(err.tensorName).toBe('loss');
    expect(err.message).toMatch(/non-finite loss at step 6/);
    expect(ends[0]).toMatch(/non-finite loss/);
    const ck = await loadCheckpoint(ckdir);
    expect(ck.step).toBe(5);
    // The saved weights are the good ones of step 5, not touched by the NaN step.
    for (const [k, v] of m.stateVariables()) {
      expect(Array.from(ck.tensors.get(`method/${k}`)!.dataSync()), k).toEqual(Array.from(v.dataSync()));
      expect(v.dataSync().every(Number.isFinite)).toBe(true);
    }
    tf.dispose([...ck.tensors.values()]);
    m.dispose();
  });

  it('NaN gradient with a finite loss names the gradient', async () => {
    const m = new DigitsClassifier(baseOptions({ nanGradAtStep: 2 }));
    const err = (await new Trainer(m, { batchSize: 64, steps: 10, quiet: true })
      .fit(digits.train)
      .catch((e: unknown) => e)) as NumericalError;
    expect(err).toBeInstanceOf(NumericalError);
    expect(err.step).toBe(3);
    expect(err.tensorName).toBe("gradient of 'head/kernel'");
    m.dispose();
  });

  it('a state variable that overflows while the loss stays finite stops the run before a checkpoint holds it', async () => {
    const ckdir = join(dir.path, 'inf-state');
    const inner = new DigitsClassifier(baseOptions());
    // A running statistic outside the gradient (as batch norm's moving variance) that overflows at step 7.
    const moving = tf.variable(tf.zeros([4]), false, 'stats/moving');
    const counter = tf.variable(tf.scalar(0, 'int32'), false, 'stats/count');
    const m: Method<Batch> = {
      name: inner.name,
      options: inner.options,
      encoder: inner.encoder,
      computeLoss: (b, ctx) => inner.computeLoss(b, ctx),
      embed: (b) => inner.embed(b),
      trainableVariables: () => inner.trainableVariables(),
      stateVariables: () => new Map([...inner.stateVariables(), ['stats/moving', moving], ['stats/count', counter]]),
      afterStep: (ctx) => {
        counter.assign(tf.add(counter, tf.scalar(1, 'int32')));
        moving.assign(tf.fill([4], ctx.step >= 6 ? Number.POSITIVE_INFINITY : ctx.step));
      },
      dispose: () => inner.dispose(),
    };
    const err = (await new Trainer(m, {
      batchSize: 64,
      steps: 12,
      quiet: true,
      checkpointDir: ckdir,
      checkpointEvery: 3,
    })
      .fit(digits.train)
      .catch((e: unknown) => e)) as NumericalError;
    expect(err).toBeInstanceOf(NumericalError);
    expect(err.tensorName).toBe("state variable 'stats/moving'");
    expect(err.step).toBe(9);
    expect(err.message).toMatch(/last good checkpoint/);
    const ck = await loadCheckpoint(ckdir);
    expect(ck.step).toBe(6);
    expect(Array.from(ck.tensors.get('method/stats/moving')!.dataSync())).toEqual([5, 5, 5, 5]);
    tf.dispose([...ck.tensors.values(), moving, counter]);
    m.dispose();
  });

  it('warns when the embeddings collapse', async () => {
    const m = new DigitsClassifier(baseOptions({ constantEmbedding: true }));
    const seen: string[] = [];
    const r = await new Trainer(m, { batchSize: 64, steps: 4, quiet: true, diagnosticsEvery: 2 }, [
      { onWarning: (msg) => void seen.push(msg) },
    ]).fit(digits.train);
    expect(r.warnings).toHaveLength(2);
    expect(seen[0]).toMatch(/embedding collapse suspected at step 2/);
    m.dispose();
  });

  it('progress: lines every logEvery when not a TTY, in place on a TTY, JSON lines, nothing when quiet', async () => {
    const run = async (
      stream: { write(s: string): boolean; isTTY?: boolean },
      format: 'text' | 'json',
      quiet = false,
    ) => {
      const m = new DigitsClassifier(baseOptions());
      await new Trainer(m, { batchSize: 64, steps: 12, logEvery: 5, quiet: true, diagnosticsEvery: 0 }, [
        new ProgressReporter({ logEvery: 5, format, stream, quiet }),
      ]).fit(digits.train);
      m.dispose();
    };
    let out = '';
    const sink = (isTTY: boolean) => ({
      isTTY,
      write: (s: string) => {
        out += s;
        return true;
      },
    });
    await run(sink(false), 'text');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^training: 12 steps \(16 per epoch\) on 1024 samples, batch 64, adam/);
    expect(lines.slice(1, -1).map((l) => l.split(' | ')[0])).toEqual([
      'step 1/12 (8.3%)',
      'step 5/12 (41.7%)',
      'step 10/12 (83.3%)',
      'step 12/12 (100.0%)',
    ]);
    expect(lines[2]).toMatch(
      /\| epoch 1 \| loss [\d.]+ \| lr 1\.00e-3 \| \d+ samples\/s \| ETA \d+s \| accuracy [\d.]+$/,
    );
    expect(lines.at(-1)).toMatch(/^done: 12 steps in \d+s, final loss [\d.]+$/);
    out = '';
    await run(sink(true), 'text');
    expect(out).toContain('\rstep 5/12');
    expect(out.split('\n')).toHaveLength(4); // start line, the in-place line ended by the summary, summary, ''
    out = '';
    await run(sink(false), 'json');
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; step?: number });
    expect(events.map((e) => e.event)).toEqual(['start', 'step', 'step', 'step', 'step', 'end']);
    expect(events[2]!.step).toBe(5);
    out = '';
    await run(sink(false), 'text', true);
    expect(out).toBe('');
  });
});

describe('diagnosticsInterval', () => {
  it("'auto' gives at least ~25 points on any run, at most every 100 steps; a number is kept", () => {
    const auto = (total: number) => diagnosticsInterval('auto', total);
    expect([1, 10, 24, 25, 150, 1000, 2500, 2600, 10_000, 1_000_000].map(auto)).toEqual([
      1, 1, 1, 1, 6, 40, 100, 100, 100, 100,
    ]);
    for (const total of [1, 7, 24, 25, 26, 149, 150, 151, 2499, 2500]) {
      expect(Math.floor(total / auto(total)), String(total)).toBeGreaterThanOrEqual(Math.min(total, 25));
    }
    expect(diagnosticsInterval(16, 150)).toBe(16);
    expect(diagnosticsInterval(0, 150)).toBe(0);
  });
});

describe('resolveTrainerOptions', () => {
  it('fills documented defaults', () => {
    const o = resolveTrainerOptions({ batchSize: 32, quiet: true });
    expect(o).toMatchObject({
      batchSize: 32,
      epochs: 1,
      seed: 0,
      optimizer: { name: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0.9, betas: [0.9, 0.999], eps: 1e-8 },
      schedule: { kind: 'constant', warmupSteps: 0, minLrRatio: 0 },
      checkpointEvery: 500,
      resume: true,
      logEvery: 10,
      checkpointEverySeconds: 120,
      diagnosticsEvery: 'auto',
      keepCheckpoints: 2,
    });
    expect(o.clipGradNorm).toBeUndefined();
    expect(o.steps).toBeUndefined();
  });
  it('rejects bad values naming the field', () => {
    expect(() => resolveTrainerOptions({ batchSize: 0 })).toThrow(/batchSize: expected an integer >= 1, got 0/);
    expect(() => resolveTrainerOptions({ batchSize: 8, optimizer: { name: 'adam', lr: -1 } })).toThrow(ConfigError);
    expect(() => resolveTrainerOptions({ batchSize: 8, optimizer: { name: 'rmsprop' as 'adam', lr: 1 } })).toThrow(
      /optimizer.name: unknown optimizer 'rmsprop'/,
    );
    expect(() => resolveTrainerOptions({ batchSize: 8, clipGradNorm: 0 })).toThrow(/clipGradNorm/);
  });
});
