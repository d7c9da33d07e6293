import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.js';
import { assignByName } from './assign-by-name.js';
import { loadSavedEncoder, saveEncoder } from './saved-encoder.js';

const meta = {
  modality: 'vision',
  method: 'simclr',
  methodOptions: { temperature: 0.5 },
  encoderConfig: { kind: 'mlp', modality: 'vision', outputDim: 3, inputShape: [2] },
};

describe('saved encoder', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'autodidact-enc-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips variables by name, in a tfjs weights manifest', async () => {
    const dir = tmp();
    const vars = new Map<string, tf.Variable>([
      [
        'encoder/dense/kernel',
        tf.variable(
          tf.tensor2d([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          true,
          'sv_k',
        ),
      ],
      ['encoder/dense/bias', tf.variable(tf.tensor1d([0.5, -0.5, 0.25]), true, 'sv_b')],
    ]);
    await saveEncoder(dir, vars, meta);
    const manifest = JSON.parse(readFileSync(join(dir, 'encoder.weights.json'), 'utf8'));
    expect(manifest[0].weights.map((w: { name: string }) => w.name).sort()).toEqual([
      'encoder/dense/bias',
      'encoder/dense/kernel',
    ]);
    const { meta: m, tensors } = await loadSavedEncoder(dir);
    expect(m.encoderConfig.kind).toBe('mlp');
    const fresh = new Map<string, tf.Variable>([
      ['encoder/dense/kernel', tf.variable(tf.zeros([2, 3]), true, 'sv_k2')],
      ['encoder/dense/bias', tf.variable(tf.zeros([3]), true, 'sv_b2')],
    ]);
    assignByName(fresh, tensors, dir);
    expect(Array.from(fresh.get('encoder/dense/kernel')!.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(fresh.get('encoder/dense/bias')!.dataSync())).toEqual([0.5, -0.5, 0.25]);
    tf.dispose([...vars.values(), ...fresh.values(), ...Object.values(tensors)]);
  });

  it('names the folder and the problem for missing, truncated and mismatched weights', async () => {
    const dir = tmp();
    await expect(loadSavedEncoder(dir)).rejects.toThrow(/missing encoder\.json/);
    const vars = new Map([['w', tf.variable(tf.ones([4]), true, 'sv_w')]]);
    await saveEncoder(dir, vars, meta);
    const wrongShape = new Map([['w', tf.variable(tf.ones([5]), true, 'sv_w5')]]);
    const { tensors } = await loadSavedEncoder(dir);
    expect(() => assignByName(wrongShape, tensors, dir)).toThrow(/shape \[4\].*expects \[5\]/);
    expect(() => assignByName(new Map([['other', wrongShape.get('w')!]]), tensors, dir)).toThrow(
      /no weight named 'other'/,
    );
    truncateSync(join(dir, 'encoder.weights.bin'), 7);
    const err = await loadSavedEncoder(dir).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toContain(dir);
    expect(err.message).toMatch(/7 bytes, the manifest describes 16/);
    writeFileSync(join(dir, 'encoder.json'), '{not json');
    await expect(loadSavedEncoder(dir)).rejects.toThrow(/not valid JSON/);
    tf.dispose([...vars.values(), ...wrongShape.values(), ...Object.values(tensors)]);
  });
});
