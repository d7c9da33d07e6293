import { describe, expect, it } from 'vitest';
import { loadModality } from '../load-modality.js';
import type { Modality } from '../modality.js';
import { type PretrainFlags, planPretrain, trainerOptionsFor } from './pretrain-plan.js';

const flags = (more: Partial<PretrainFlags> = {}): PretrainFlags => ({
  method: 'simclr',
  out: 'runs/x',
  seed: '3',
  option: [],
  resume: false,
  eval: false,
  probeTrainLimit: '100',
  ...more,
});

describe('planPretrain: every flag checked before any work', async () => {
  const vision = (await loadModality('vision')) as Modality<unknown>;

  it("--option values go through the method's schema, merged over its defaults", () => {
    const plan = planPretrain(vision, flags({ option: ['temperature=0.5', 'cropScale=[0.3,1]'] }));
    expect(plan.methodOptions).toEqual({ ...plan.spec.defaults, temperature: 0.5, cropScale: [0.3, 1] });
    expect(plan.seed).toBe(3);
    expect(() => planPretrain(vision, flags({ option: ['temperature=0'] }))).toThrow(
      "--option: option 'temperature' of method 'simclr' expects number > 0, got 0",
    );
    expect(() => planPretrain(vision, flags({ option: ['cropScale=[0.3]'] }))).toThrow(
      "--option: option 'cropScale' of method 'simclr' expects 2 x number in [0, 1], got [0.3]",
    );
    expect(() => planPretrain(vision, flags({ option: ['encoder="resnet9000"'] }))).toThrow(
      /expects one of conv-small/,
    );
  });

  it('monitor flags need --monitor; a batch below the method minimum names --batch-size', () => {
    expect(() => planPretrain(vision, flags({ keepBest: true }))).toThrow('--keep-best: needs --monitor');
    expect(() => planPretrain(vision, flags({ monitorSize: '10' }))).toThrow('--monitor-size: needs --monitor');
    expect(() => planPretrain(vision, flags({ monitor: '/no/such/labelled/data' }))).toThrow(/^--monitor: /);
    expect(() => planPretrain(vision, flags({ batchSize: '1' }))).toThrow(
      /^--batch-size: method 'simclr' needs at least 2/,
    );
  });

  it("the Trainer's settings: flags over the method's trainer defaults", () => {
    const plan = planPretrain(vision, flags({ lr: '0.01', steps: '7' }));
    const t = trainerOptionsFor(plan, { optimizer: 'sgd', resume: true }, '/tmp/run', true);
    expect(t).toMatchObject({
      batchSize: plan.spec.trainerDefaults.batchSize,
      steps: 7,
      seed: 3,
      optimizer: { name: 'sgd', lr: 0.01 },
      checkpointDir: '/tmp/run/checkpoints',
      resume: true,
      quiet: true,
    });
    const d = trainerOptionsFor(planPretrain(vision, flags()), { resume: false }, '/tmp/run', false);
    expect(d.optimizer).toEqual(plan.spec.trainerDefaults.optimizer);
    expect(d.schedule).toEqual(plan.spec.trainerDefaults.schedule);
  });
});
