import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainResult } from '../../trainer/index.js';
import { loadModality } from '../load-modality.js';
import type { Modality } from '../modality.js';
import { findPretrainData, type RunRecord, runSummary } from './pretrain-steps.js';

const record: RunRecord = {
  modality: 'vision',
  method: 'simclr',
  methodOptions: {},
  data: '/d',
  loaderOptions: {},
  backend: 'cpu',
  out: '/o',
  seed: 0,
};

describe('pretrain steps', () => {
  it('runSummary: steps, loss, seconds to 0.1 s, the resume point and the best monitor score when there are', () => {
    const result = { steps: 40, finalLoss: 1.25, seconds: 12.345, lossHistory: [] } as unknown as TrainResult;
    expect(runSummary(record, result, undefined)).toEqual({
      modality: 'vision',
      method: 'simclr',
      steps: 40,
      final_loss: 1.25,
      seconds: 12.3,
      backend: 'cpu',
      out: '/o',
    });
    const resumed = { ...result, resumedFromStep: 20 } as TrainResult;
    expect(runSummary(record, resumed, { knnAccuracy: 0.5, step: 30, checkpoint: '/o/best/c' })).toMatchObject({
      resumed_from_step: 20,
      best_monitor_knn_accuracy: 0.5,
      best_monitor_step: 30,
      best_checkpoint: '/o/best/c',
    });
  });

  it('findPretrainData: --data as given; a monitor on the test split of the default data is refused and undoes --out', async () => {
    const vision = (await loadModality('vision')) as Modality<unknown>;
    const lines: string[] = [];
    const say = (line: string) => lines.push(line);
    expect(await findPretrainData(vision, '/some/data', undefined, say, [])).toEqual({ dataPath: '/some/data' });
    await findPretrainData(vision, '/some/data', '/x/test/labelled', say, []);
    expect(lines.at(-1)).toMatch(/warning: --monitor \/x\/test\/labelled looks like a test split/);
    const d = await vision.defaultData?.().catch(() => undefined);
    if (!d) return; // MNIST not fetched: the default-data half needs it
    const dir = await mkdtemp(join(tmpdir(), 'autodidact-plan-'));
    const made = [join(dir, 'out')];
    await mkdir(made[0]!);
    try {
      await expect(findPretrainData(vision, undefined, d.test, say, made)).rejects.toThrow(
        /^--monitor: .* is the test split this run reports on/,
      );
      expect(existsSync(made[0]!)).toBe(false);
      const found = await findPretrainData(vision, undefined, undefined, say, []);
      expect(found).toEqual({ dataPath: d.train, evalData: d });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
