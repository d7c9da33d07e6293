import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type Batch, DigitsClassifier } from '../../../../tools/fixtures/optim/digits-classifier.js';
import { CheckpointError, ConfigError } from '../errors.js';
import type { StepInfo } from './callbacks.js';
import type { TrainerOptions } from './options.js';
import type { ParamGroupOptions } from './param-groups.js';
import { Trainer } from './trainer.js';
import { digitsPresent, useDigits } from '../test-support/digits.js';
import { stateValues } from '../test-support/exact-resume.js';
import { tempDir } from '../test-support/temp-dirs.js';

const haveDigits = digitsPresent('parameter-group tests');

const classifier = () => new DigitsClassifier({ hidden: 8, seed: 2, noise: 0.1 });

describe.skipIf(!haveDigits)('Trainer parameter groups', () => {
  const digits = useDigits({ train: 256 });
  const dir = tempDir('autodidact-groups-');

  const base = {
    batchSize: 32,
    steps: 12,
    optimizer: { name: 'adamw', lr: 0.01, weightDecay: 0.05 },
    schedule: { kind: 'cosine', warmupSteps: 3 },
    clipGradNorm: 5,
    quiet: true,
    diagnosticsEvery: 0,
  } as const satisfies Partial<TrainerOptions>;

  /** Trains a fresh classifier; returns its variables, the losses, each step's info and the optimizer's slot names. */
  async function run(options: Partial<TrainerOptions> = {}) {
    const m = classifier();
    const infos: StepInfo[] = [];
    const t = new Trainer(m, { ...base, ...options }, [{ onStepEnd: (i) => void infos.push(i) }]);
    const r = await t.fit(digits.train);
    const slots = [...t.optimizer!.state().keys()].sort();
    const out = { vars: stateValues(m), losses: r.lossHistory, infos, slots };
    t.optimizer?.dispose();
    m.dispose();
    return out;
  }

  it('groups that repeat the trainer settings train bit for bit as no groups; slots keep their names', async () => {
    const plain = await run();
    const grouped = await run({
      groups: [
        { name: 'encoder', params: /^encoder\//, lrMultiplier: 1 },
        { name: 'head', params: ['head/kernel', 'head/bias'], lr: 0.01, weightDecay: 0.05 },
      ],
    });
    expect(grouped.losses).toEqual(plain.losses);
    expect(grouped.vars).toEqual(plain.vars);
    expect(grouped.slots).toEqual(plain.slots);
    expect(plain.slots).toContain('head/kernel/m');
  });

  it('a frozen group keeps its values and gets no slots; the others still learn', async () => {
    const fresh = classifier();
    const before = stateValues(fresh);
    fresh.dispose();
    const count = tf.memory().numTensors;
    const r = await run({ groups: [{ name: 'encoder', params: (n) => n.startsWith('encoder/'), frozen: true }] });
    expect(tf.memory().numTensors).toBe(count);
    expect(r.vars.get('encoder/dense/kernel')).toEqual(before.get('encoder/dense/kernel'));
    expect(r.vars.get('encoder/dense/bias')).toEqual(before.get('encoder/dense/bias'));
    expect(r.vars.get('head/kernel')).not.toEqual(before.get('head/kernel'));
    expect(r.slots.filter((s) => s.startsWith('encoder/'))).toEqual([]);
    expect(r.slots.filter((s) => s.startsWith('head/'))).toHaveLength(4);
    await expect(run({ groups: [{ name: 'all', params: () => true, frozen: true }] })).rejects.toThrow(
      /every trainable variable of method 'digits-classifier' is in a frozen group/,
    );
  });

  it('each group follows its own learning rate and schedule; a constant-lr group is not warmed up', async () => {
    const schedule = { kind: 'constant' } as const;
    const r = await run({
      groups: [
        { name: 'head', params: /^head\//, lrMultiplier: 0.5 },
        { name: 'encoder', params: /^encoder\//, lr: 0.002, schedule },
      ],
    });
    // The reported lr is the first trained group's: half the trainer's, warmed up over 3 steps.
    const lrs = r.infos.map((i) => i.lr);
    for (const [i, want] of [0.005 / 3, (0.005 * 2) / 3, 0.005].entries()) expect(lrs[i]).toBeCloseTo(want, 12);
    const other = await run({
      groups: [
        { name: 'encoder', params: /^encoder\//, lr: 0.002, schedule },
        { name: 'head', params: /^head\//, lrMultiplier: 0.5 },
      ],
    });
    expect(other.infos.map((i) => i.lr)).toEqual(new Array(12).fill(0.002));
    // Order of groups does not change what is trained, only which lr is reported.
    expect(other.vars).toEqual(r.vars);
    // A group's lr changes its variables' path only: a different encoder lr, a different encoder.
    const slower = await run({
      groups: [
        { name: 'encoder', params: /^encoder\//, lr: 0.0001, schedule },
        { name: 'head', params: /^head\//, lrMultiplier: 0.5 },
      ],
    });
    expect(slower.vars.get('encoder/dense/kernel')).not.toEqual(r.vars.get('encoder/dense/kernel'));
  });

  it("weight decay per group: the trainer's decay by default, none where a group says 0", async () => {
    const a = await run({ groups: [{ name: 'head', params: /^head\//, weightDecay: 0 }] });
    const b = await run({ groups: [{ name: 'head', params: /^head\//, weightDecay: 0.05 }] });
    expect(b.vars).toEqual((await run()).vars);
    expect(a.vars.get('head/kernel')).not.toEqual(b.vars.get('head/kernel'));
  });

  it('resumes exactly with groups; other group settings are refused naming the group', async () => {
    const groups: ParamGroupOptions[] = [
      { name: 'encoder', params: /^encoder\//, lr: 0.003 },
      { name: 'head', params: /^head\//, weightDecay: 0 },
    ];
    const ref = await run({ groups });
    const ck = join(dir.path, 'resume');
    const first = classifier();
    const t1: Trainer<Batch> = new Trainer(first, { ...base, groups, checkpointDir: ck }, [
      { onStepEnd: (i) => (i.step === 5 ? t1.stop() : undefined) },
    ]);
    await t1.fit(digits.train);
    t1.optimizer?.dispose();
    first.dispose();
    const second = classifier();
    const t2 = new Trainer(second, { ...base, groups, checkpointDir: ck });
    const r = await t2.fit(digits.train);
    expect(r.resumedFromStep).toBe(5);
    expect(r.lossHistory).toEqual(ref.losses);
    expect(stateValues(second)).toEqual(ref.vars);
    t2.optimizer?.dispose();
    second.dispose();

    const refuse = async (other: ParamGroupOptions[] | undefined, message: RegExp) => {
      const m = classifier();
      const t = new Trainer(m, { ...base, steps: 20, groups: other, checkpointDir: ck });
      const err = await t.fit(digits.train).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as Error).message).toMatch(message);
      t.optimizer?.dispose();
      m.dispose();
    };
    await refuse([{ ...groups[0]!, lr: 0.004 }, groups[1]!], /groups\.encoder\.lr 0\.004 \(checkpoint: 0\.003\)/);
    await refuse([groups[0]!, { ...groups[1]!, frozen: true }], /groups\.head\.frozen true \(checkpoint: false\)/);
    await refuse([groups[0]!, { ...groups[1]!, params: ['head/kernel'] }], /groups\.head\.params/);
    await refuse(undefined, /groups \[\] \(checkpoint: \["encoder","head"\]\)/);
  });

  it('checks group settings, naming the field', () => {
    const bad: [ParamGroupOptions[], string][] = [
      [[{ name: '', params: [] }], 'groups[0].name'],
      [
        [
          { name: 'a', params: [] },
          { name: 'a', params: [] },
        ],
        'groups[1].name',
      ],
      [[{ name: 'a', params: 'head' as unknown as string[] }], 'groups[0].params'],
      [[{ name: 'a', params: [], lr: 0 }], 'groups[0].lr'],
      [[{ name: 'a', params: [], lrMultiplier: -1 }], 'groups[0].lrMultiplier'],
      [[{ name: 'a', params: [], weightDecay: Number.NaN }], 'groups[0].weightDecay'],
      [[{ name: 'a', params: [], schedule: { kind: 'step' as 'cosine' } }], 'groups[0].schedule.kind'],
    ];
    for (const [groups, field] of bad) {
      const m = classifier();
      let err: unknown;
      try {
        new Trainer(m, { ...base, groups });
      } catch (e) {
        err = e;
      }
      m.dispose();
      expect(err, field).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
    }
  });
});
