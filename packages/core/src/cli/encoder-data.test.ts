import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import { ConfigError } from '../errors.js';
import { loadLabeledSplits } from './encoder-data.js';
import type { Modality } from './modality.js';

/** A modality whose loadLabeled gives a small data set per path, labelled unless the path says `bare`. */
function fakeModality(disposed: string[], limits: (number | undefined)[]): Modality<unknown> {
  return {
    loadLabeled: async (path: string, o?: { limit?: number }) => {
      limits.push(o?.limit);
      const data: Dataset<unknown> = {
        size: 2,
        source: path,
        labels: path.endsWith('bare') ? undefined : Int32Array.from([0, 1]),
        getBatch: () => ({}),
        dispose: () => void disposed.push(path),
      };
      return data;
    },
  } as unknown as Modality<unknown>;
}

describe('loadLabeledSplits', () => {
  it('loads train then test with their limits', async () => {
    const disposed: string[] = [];
    const limits: (number | undefined)[] = [];
    const { train, test } = await loadLabeledSplits(
      fakeModality(disposed, limits),
      { strict: true },
      {
        train: { path: '/d/train', flag: '--data', limit: 600 },
        test: { path: '/d/test', flag: '--test', limit: undefined },
      },
    );
    expect([train.source, test.source]).toEqual(['/d/train', '/d/test']);
    expect(Array.from(train.labels)).toEqual([0, 1]);
    expect(limits).toEqual([600, undefined]);
    expect(disposed).toEqual([]);
  });

  it('a split without labels is a ConfigError naming its path and flag; both splits are closed', async () => {
    for (const [trainPath, testPath, flag, path] of [
      ['/d/bare', '/d/test', '--train', '/d/bare'],
      ['/d/train', '/d/bare', '--test', '/d/bare'],
    ] as const) {
      const disposed: string[] = [];
      const err = await loadLabeledSplits(
        fakeModality(disposed, []),
        {},
        { train: { path: trainPath, flag: '--train', limit: 1 }, test: { path: testPath, flag: '--test', limit: 1 } },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(`no labels found in ${path}`);
      expect((err as ConfigError).field).toBe(flag);
      expect(disposed.sort()).toEqual([trainPath, testPath].sort());
    }
  });
});
