/**
 * What resuming refuses and what it falls back on: a damaged newest checkpoint (truncated
 * weights, NaN-filled weights, a corrupt state.json) is passed over, with one warning, for the
 * newest intact one, and the run still ends as an uninterrupted one; with none intact the error
 * says what to do. Changed settings and a step count below the checkpoint's are refused with
 * both values and what to pass, in the caller's words.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Batch,
  type ClassifierOptions,
  DigitsClassifier,
  DigitsDataset,
  haveDigits,
  loadDigits,
} from '../../../../tools/fixtures/optim/digits-classifier.js';
import { loadCheckpoint } from '../checkpoint/load-checkpoint.js';
import { CheckpointError, ConfigError, NumericalError } from '../errors.js';
import type { Method } from '../methods/method.js';
import type { TrainerOptions } from './options.js';
import { type SettingHints, Trainer } from './trainer.js';

const classifier = (over: Partial<ClassifierOptions> = {}) =>
  new DigitsClassifier({ hidden: 16, seed: 1, noise: 0.1, ...over });

const OPTIONS: Partial<TrainerOptions> & { batchSize: number } = {
  batchSize: 64,
  steps: 8,
  optimizer: { name: 'adam', lr: 0.01 },
  quiet: true,
  checkpointEvery: 2,
  checkpointEverySeconds: 0,
  diagnosticsEvery: 0,
  keepCheckpoints: 2,
};

/** The CLI's wording, as pretrain passes it. */
const CLI_HINTS: SettingHints = {
  startOver: '--no-resume',
  separator: ' ',
  setting: (field, value) =>
    field === 'optimizer.lr'
      ? `--lr ${value}`
      : field === 'steps'
        ? `--steps ${value}`
        : field.startsWith('options.')
          ? `--option ${field.slice(8)}=${JSON.stringify(value)}`
          : `${field}=${JSON.stringify(value)}`,
};

describe.skipIf(!haveDigits)('resuming: damaged checkpoints and changed settings', () => {
  let data: DigitsDataset;
  let dir: string;
  let reference: number[];
  beforeAll(async () => {
    const { x, y } = loadDigits();
    data = new DigitsDataset(tf.tensor2d(x.slice(0, 512)), y.slice(0, 512));
    dir = await mkdtemp(join(tmpdir(), 'autodidact-resume-'));
    const m = classifier();
    reference = (await new Trainer(m, OPTIONS).fit(data)).lossHistory;
    m.dispose();
  });
  afterAll(async () => {
    data.x.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** Trains to step 4 (checkpoints at 2 and 4 kept) into a fresh folder. */
  async function interrupted(name: string): Promise<string> {
    const ckdir = join(dir, name);
    const m = classifier();
    const r = await new Trainer(m, { ...OPTIONS, steps: 4, checkpointDir: ckdir }).fit(data);
    expect(r.checkpoint).toBe(join(ckdir, 'step-000004'));
    m.dispose();
    return ckdir;
  }

  /** Resumes to step 8; returns the result and the warnings seen by callbacks. */
  async function resume(ckdir: string, over: Partial<TrainerOptions> = {}, method: Method<Batch> = classifier()) {
    const seen: string[] = [];
    try {
      const r = await new Trainer(method, { ...OPTIONS, ...over, checkpointDir: ckdir }, [
        { onWarning: (w) => void seen.push(w) },
      ]).fit(data);
      return { r, seen };
    } finally {
      method.dispose();
    }
  }

  /** Rewrites SHA256SUMS to match the files, as a writer that checksummed bad data would have. */
  async function rehash(folder: string) {
    const sums = [];
    for (const f of ['weights.bin', 'weights.json', 'state.json']) {
      sums.push(
        `${createHash('sha256')
          .update(await readFile(join(folder, f)))
          .digest('hex')}  ${f}\n`,
      );
    }
    await writeFile(join(folder, 'SHA256SUMS'), sums.join(''));
  }

  const damages: [string, (folder: string) => Promise<void>, RegExp][] = [
    [
      'truncated weights',
      async (f) => truncate(join(f, 'weights.bin'), 100),
      /weights\.bin has 100 bytes, the manifest describes \d+/,
    ],
    [
      'NaN-filled weights (checksums made to match)',
      async (f) => {
        const size = (await readFile(join(f, 'weights.bin'))).byteLength;
        await writeFile(join(f, 'weights.bin'), new Uint8Array(new Float32Array(size / 4).fill(Number.NaN).buffer));
        await rehash(f);
      },
      /tensor 'method\/[^']+' holds NaN or infinite values/,
    ],
    [
      'NaN-filled weights (checksums left)',
      async (f) => {
        const size = (await readFile(join(f, 'weights.bin'))).byteLength;
        await writeFile(join(f, 'weights.bin'), new Uint8Array(new Float32Array(size / 4).fill(Number.NaN).buffer));
      },
      /weights\.bin does not match its sha256 in SHA256SUMS/,
    ],
    ['state.json cut short', async (f) => truncate(join(f, 'state.json'), 40), /state\.json is not valid JSON/],
    [
      'state.json without the loss history (checksums made to match)',
      async (f) => {
        const state = JSON.parse(await readFile(join(f, 'state.json'), 'utf8')) as Record<string, unknown>;
        delete state.lossHistory;
        await writeFile(join(f, 'state.json'), JSON.stringify(state));
        await rehash(f);
      },
      /state\.json lacks the loss history/,
    ],
  ];
  for (const [what, damage, reason] of damages) {
    it(`newest checkpoint with ${what}: falls back to the one before, says so once, ends as an uninterrupted run`, async () => {
      const ckdir = await interrupted(what.replace(/\W+/g, '-'));
      await damage(join(ckdir, 'step-000004'));
      const { r, seen } = await resume(ckdir);
      expect(r.resumedFromStep).toBe(2);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^passed over damaged checkpoints: .*step-000004 \(/);
      expect(seen[0]).toMatch(reason);
      expect(seen[0]).toContain(`resuming from ${join(ckdir, 'step-000002')}`);
      expect(r.warnings).toEqual(seen);
      expect(r.lossHistory).toEqual(reference);
      // The damaged folder is gone and the newest checkpoint is whole.
      const ck = await loadCheckpoint(ckdir);
      expect(ck.step).toBe(8);
      tf.dispose([...ck.tensors.values()]);
    });
  }

  it('no intact checkpoint: one error naming each folder and its problem, and what to pass', async () => {
    const ckdir = await interrupted('none-intact');
    await damages[0]![1](join(ckdir, 'step-000004'));
    await damages[1]![1](join(ckdir, 'step-000002'));
    const err = await resume(ckdir, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/no intact checkpoint to resume from: /);
    expect(msg).toContain(`${join(ckdir, 'step-000004')} (weights.bin has 100 bytes`);
    expect(msg).toMatch(/step-000002 \(tensor '[^']+' holds NaN or infinite values\)/);
    expect(msg).toMatch(/pass resume: false to start over$/);
    // The same through the CLI's hints; and starting over works.
    const cli = await resume(ckdir, {}).catch((e: unknown) => e);
    expect(String(cli)).toMatch(/resume: false/);
    const m = classifier();
    const viaCli = await new Trainer(m, { ...OPTIONS, checkpointDir: ckdir }, [], { hints: CLI_HINTS })
      .fit(data)
      .catch((e: unknown) => e);
    m.dispose();
    expect(String(viaCli)).toMatch(/pass --no-resume to start over$/);
    const fresh = await resume(ckdir, { resume: false });
    expect(fresh.r.resumedFromStep).toBeUndefined();
    expect(fresh.r.lossHistory).toEqual(reference);
  });

  it('NaN-filled weights are never loaded, nor called the last good checkpoint when the resumed run fails', async () => {
    // Newest checkpoint NaN-filled (checksums matching); the run falls back to step 2 and hits a
    // NaN loss at step 4: the good state of step 3 is saved and named, never step 4.
    const ckdir = await interrupted('nan-then-fail');
    await damages[1]![1](join(ckdir, 'step-000004'));
    const err = (await resume(ckdir, {}, classifier({ nanLossAtStep: 3 })).catch((e: unknown) => e)) as NumericalError;
    expect(err).toBeInstanceOf(NumericalError);
    expect(err.message).toMatch(/^non-finite loss at step 4 /);
    expect(err.message).toContain(`last good checkpoint: ${join(ckdir, 'step-000003')}`);
    expect(err.message).not.toContain('step-000004');
    const ck = await loadCheckpoint(ckdir);
    expect(ck.step).toBe(3);
    for (const t of ck.tensors.values()) expect(t.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose([...ck.tensors.values()]);
  });

  it('changed trainer settings or method options are refused with both values and the flags to pass', async () => {
    const ckdir = await interrupted('settings');
    const cases: [Partial<TrainerOptions>, Method<Batch> | undefined, SettingHints | undefined, RegExp][] = [
      [
        { optimizer: { name: 'adam', lr: 0.02 } },
        undefined,
        CLI_HINTS,
        /settings differ from the checkpoint's: optimizer\.lr 0\.02 \(checkpoint: 0\.01\); resume with --lr 0\.01, or pass --no-resume to start over$/,
      ],
      [
        {},
        classifier({ noise: 0.3 }),
        CLI_HINTS,
        /noise 0\.3 \(checkpoint: 0\.1\); resume with --option noise=0\.1, or pass --no-resume/,
      ],
      [
        { schedule: { kind: 'cosine' }, clipGradNorm: 1 },
        undefined,
        undefined,
        /schedule\.kind "cosine" \(checkpoint: "constant"\), clipGradNorm 1 \(checkpoint: unset\); resume with schedule\.kind: "constant", clipGradNorm: undefined, or pass resume: false/,
      ],
      [
        { batchSize: 32 },
        undefined,
        CLI_HINTS,
        /batchSize 32 \(checkpoint: 64\); resume with batchSize=64, or pass --no-resume/,
      ],
      [
        { steps: 3 },
        undefined,
        CLI_HINTS,
        /checkpoint is at step 4, past the 3 steps this run asks for; resume with --steps 4 or more, or pass --no-resume to start over$/,
      ],
    ];
    for (const [over, method, hints, expected] of cases) {
      const m = method ?? classifier();
      const err = await new Trainer(m, { ...OPTIONS, ...over, checkpointDir: ckdir }, [], hints ? { hints } : {})
        .fit(data)
        .catch((e: unknown) => e);
      m.dispose();
      expect(err, JSON.stringify(over)).toBeInstanceOf(CheckpointError);
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message).toMatch(expected);
    }
    // Unchanged settings (and a longer run, other logging, cadence) resume.
    const { r } = await resume(ckdir, { logEvery: 3, checkpointEvery: 5, steps: 8 });
    expect(r.resumedFromStep).toBe(4);
    expect(r.lossHistory).toEqual(reference);
  });

  it('a batch below the method’s minimum is refused before any step', async () => {
    const inner = classifier();
    const m: Method<Batch> = Object.assign(Object.create(inner) as DigitsClassifier, {
      minBatchSize: { size: 4, reason: 'a test objective that contrasts samples' },
    });
    const err = await new Trainer(m, { ...OPTIONS, batchSize: 3 }).fit(data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      "batchSize: method 'digits-classifier' needs at least 4 samples per batch (a test objective that contrasts samples), got 3",
    );
    const tiny = new DigitsDataset(tf.tensor2d(loadDigits().x.slice(0, 3)), loadDigits().y.slice(0, 3));
    await expect(new Trainer(m, { ...OPTIONS, batchSize: 8 }).fit(tiny)).rejects.toThrow(
      /needs at least 4 samples per batch \(.*\), but the data has only 3 samples/,
    );
    tiny.x.dispose();
    const ok = await new Trainer(m, { ...OPTIONS, batchSize: 4, steps: 1 }).fit(data);
    expect(ok.steps).toBe(1);
    inner.dispose();
  });
});
