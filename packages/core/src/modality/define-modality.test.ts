import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataSetDir } from '../data-sets/index.js';
import { ConfigError } from '../errors.js';
import { defineMethod, methodRegistry } from '../methods/define-method.js';
import type { Method } from '../methods/method.js';
import { defaultDataPaths, defineModality } from './define-modality.js';

const methods = methodRegistry('toy method', [
  defineMethod({
    name: 'toy',
    modality: 'toy',
    summary: 'a toy method',
    options: {},
    trainerDefaults: {},
    create: () => ({}) as Method<unknown>,
  }),
]);

describe('defineModality', () => {
  it('a default set missing from the data folder is a ConfigError on --data saying how to fetch it', () => {
    const set = { set: 'no-such-set', train: 'train', test: 'test', description: 'nothing' };
    expect(() => defaultDataPaths(set)).toThrow(ConfigError);
    expect(() => defaultDataPaths(set)).toThrow(
      `--data: no-such-set is not in ${dataSetDir('no-such-set')}; fetch it with: npx autodidact data fetch no-such-set`,
    );
  });

  it('one load for both kinds of data; the default data resolved under the data folder', async () => {
    const calls: boolean[] = [];
    const m = defineModality<unknown>({
      name: 'toy',
      description: 'toy data',
      methods,
      load: async (_path, _options, labelled) => {
        calls.push(labelled);
        return { size: 0 } as never;
      },
      createEncoder: () => ({}) as never,
      defaultData: { set: 'mnist', train: 'train-images-idx3-ubyte', test: 't10k-images-idx3-ubyte', description: 'd' },
    });
    await m.loadUnlabeled('/x');
    await m.loadLabeled('/x');
    expect(calls).toEqual([false, true]);
    expect(m.methods.names()).toEqual(['toy']);
    const train = join(dataSetDir('mnist'), 'train-images-idx3-ubyte');
    if (existsSync(train) && existsSync(join(dataSetDir('mnist'), 't10k-images-idx3-ubyte'))) {
      expect((await m.defaultData?.())?.train).toBe(train);
    } else {
      await expect(m.defaultData?.()).rejects.toThrow(/fetch it with: npx autodidact data fetch mnist/);
    }
  });
});
