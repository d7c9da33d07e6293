import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { CheckpointError, NumericalError } from '../errors.js';
import { findLatestCheckpoint, loadCheckpoint, loadLatestGoodCheckpoint } from './load-checkpoint.js';
import { restoreVariables } from './restore-variables.js';
import { saveCheckpoint } from './save-checkpoint.js';
import { writeFileAtomic } from './write-file-atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autodidact-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(step: number) {
  return new Map<string, tf.Tensor>([
    [
      'method/encoder/kernel',
      tf.tensor2d([
        [1, 2, 3],
        [4, 5, step],
      ]),
    ],
    ['method/encoder/bias', tf.tensor1d([0.5, -0.25, 1e-7])],
    ['optimizer/encoder/kernel/m', tf.zeros([2, 3])],
    ['counts', tf.tensor1d([1, 2, 3], 'int32')],
  ]);
}

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const p = join(dir, 'sub', 'x.json');
    await writeFileAtomic(p, 'one');
    await writeFileAtomic(p, new TextEncoder().encode('two'));
    expect(await readFile(p, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['x.json']);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips tensors and state; plain tfjs decodes the weights', async () => {
    const tensors = sample(7);
    const path = await saveCheckpoint(dir, { step: 7, tensors, state: { rng: [1, 2, 3, 4], note: 'x' } });
    expect(path).toBe(join(dir, 'step-000007'));
    expect(JSON.parse(await readFile(join(dir, 'latest'), 'utf8'))).toEqual({ step: 7, folder: 'step-000007' });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.step).toBe(7);
    expect(loaded.path).toBe(path);
    expect(loaded.state).toMatchObject({ step: 7, rng: [1, 2, 3, 4], note: 'x' });
    for (const [k, t] of tensors) {
      expect(loaded.tensors.get(k)!.dtype).toBe(t.dtype);
      expect(loaded.tensors.get(k)!.arraySync()).toEqual(t.arraySync());
    }
    // Independent reader: the manifest + bin are what tf.io.decodeWeights expects.
    const manifest = JSON.parse(await readFile(join(path, 'weights.json'), 'utf8')) as tf.io.WeightsManifestConfig;
    const bin = await readFile(join(path, manifest[0]!.paths[0]!));
    const decoded = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
      manifest[0]!.weights,
    );
    expect(decoded['method/encoder/kernel']!.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 7],
    ]);
    tf.dispose([...tensors.values(), ...loaded.tensors.values(), ...Object.values(decoded)]);
  });

  it('keeps the newest K folders and loads a folder directly', async () => {
    for (const step of [1, 2, 3, 4]) {
      const t = sample(step);
      await saveCheckpoint(dir, { step, tensors: t, state: {} }, { keep: 2 });
      tf.dispose([...t.values()]);
    }
    expect((await readdir(dir)).sort()).toEqual(['latest', 'step-000003', 'step-000004']);
    const older = await loadCheckpoint(join(dir, 'step-000003'));
    expect(older.step).toBe(3);
    tf.dispose([...older.tensors.values()]);
  });

  it('ignores a leftover temp folder from a crash, and a missing pointer falls back to the newest folder', async () => {
    const t = sample(5);
    await saveCheckpoint(dir, { step: 5, tensors: t, state: {} });
    // A crash while writing step 9: a half-written temp folder.
    await mkdir(join(dir, '.tmp-step-000009-123-abcd'));
    await writeFile(join(dir, '.tmp-step-000009-123-abcd', 'weights.bin'), 'partial');
    expect(await findLatestCheckpoint(dir)).toBe(join(dir, 'step-000005'));
    await rm(join(dir, 'latest'));
    const loaded = await loadCheckpoint(dir);
    expect(loaded.step).toBe(5);
    // The next save cleans the leftover up.
    await saveCheckpoint(dir, { step: 6, tensors: t, state: {} });
    expect((await readdir(dir)).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    tf.dispose([...t.values(), ...loaded.tensors.values()]);
  });

  it('a truncated bin, a missing file, a corrupt state or an empty dir is a CheckpointError naming the path', async () => {
    await expect(loadCheckpoint(dir)).rejects.toThrow(CheckpointError);
    expect(await findLatestCheckpoint(join(dir, 'nope'))).toBeUndefined();
    const t = sample(3);
    const path = await saveCheckpoint(dir, { step: 3, tensors: t, state: {} });
    tf.dispose([...t.values()]);
    const bin = join(path, 'weights.bin');
    const full = await readFile(bin);
    await truncate(bin, full.byteLength - 4);
    const err = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).path).toBe(path);
    expect(String(err)).toMatch(/weights\.bin has \d+ bytes, the manifest describes \d+/);
    await writeFile(bin, full);
    await writeFile(join(path, 'state.json'), '{"step": 3, "rn');
    await expect(loadCheckpoint(path)).rejects.toThrow(/state\.json is not valid JSON/);
    await rm(join(path, 'state.json'));
    await expect(loadCheckpoint(path)).rejects.toThrow(/missing state\.json/);
    await writeFile(join(dir, 'latest'), 'garbage');
    await expect(loadCheckpoint(dir)).rejects.toThrow(CheckpointError);
  });

  it('restoreVariables: shape mismatch and missing names are CheckpointErrors; nothing is assigned', async () => {
    const tensors = sample(1);
    const good = tf.variable(tf.zeros([3]));
    const bad = tf.variable(tf.zeros([3, 2]));
    expect(() =>
      restoreVariables(
        new Map([
          ['encoder/bias', good],
          ['encoder/kernel', bad],
        ]),
        tensors,
        'method/',
        'ckpt',
      ),
    ).toThrow(/'method\/encoder\/kernel' has shape \[2,3\], the model expects \[3,2\]/);
    expect(good.arraySync()).toEqual([0, 0, 0]);
    expect(() => restoreVariables(new Map([['missing', good]]), tensors, 'method/', 'ckpt')).toThrow(
      /no tensor named 'method\/missing'/,
    );
    restoreVariables(new Map([['encoder/bias', good]]), tensors, 'method/', 'ckpt');
    expect(good.arraySync()).toEqual([0.5, -0.25, 1e-7].map((x) => Math.fround(x)));
    tf.dispose([...tensors.values(), good, bad]);
  });

  it('SHA256SUMS is what sha256sum -c checks; a flipped byte is caught even when sizes and values look fine', async () => {
    const t = sample(2);
    const path = await saveCheckpoint(dir, { step: 2, tensors: t, state: { note: 'x' } });
    tf.dispose([...t.values()]);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path, encoding: 'utf8' })).toBe(
      'weights.bin: OK\nweights.json: OK\nstate.json: OK\n',
    );
    const bin = await readFile(join(path, 'weights.bin'));
    bin[0] = bin[0]! ^ 1; // 1.0 -> another finite float
    await writeFile(join(path, 'weights.bin'), bin);
    await expect(loadCheckpoint(path)).rejects.toThrow(/weights\.bin does not match its sha256 in SHA256SUMS/);
    // A folder written before checksums existed still loads.
    bin[0] = bin[0]! ^ 1;
    await writeFile(join(path, 'weights.bin'), bin);
    await rm(join(path, 'SHA256SUMS'));
    const ck = await loadCheckpoint(path);
    tf.dispose([...ck.tensors.values()]);
  });

  it('refuses to write NaN or Inf, and refuses to load it', async () => {
    const bad = new Map([['w', tf.tensor1d([1, Number.POSITIVE_INFINITY])]]);
    const err = await saveCheckpoint(dir, { step: 1, tensors: bad, state: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NumericalError);
    expect(String(err)).toMatch(/refusing to write checkpoint step-000001: tensor 'w' holds NaN or infinite values/);
    expect(await readdir(dir)).toEqual([]);
    tf.dispose([...bad.values()]);
  });

  it('state.json whose step is not the folder’s is damaged', async () => {
    const t = sample(4);
    const path = await saveCheckpoint(dir, { step: 4, tensors: t, state: {} });
    tf.dispose([...t.values()]);
    await writeFile(join(path, 'state.json'), JSON.stringify({ step: 9 }));
    await rm(join(path, 'SHA256SUMS'));
    await expect(loadCheckpoint(path)).rejects.toThrow(/state\.json says step 9, the folder is step 4/);
  });

  it('loadLatestGoodCheckpoint: the newest intact folder, the damaged ones with their reasons', async () => {
    expect(await loadLatestGoodCheckpoint(join(dir, 'nothing'))).toEqual({ skipped: [] });
    for (const step of [1, 2, 3]) {
      const t = sample(step);
      await saveCheckpoint(dir, { step, tensors: t, state: { ok: step !== 2 } }, { keep: 3 });
      tf.dispose([...t.values()]);
    }
    await truncate(join(dir, 'step-000003', 'weights.bin'), 3);
    await writeFile(join(dir, 'latest'), '{"folder": "step-0000');
    // A validator rejects step 2's state as the trainer rejects a state.json without its fields.
    const validate = (ck: { state: Record<string, unknown>; path: string }) => {
      if (!ck.state.ok) throw new CheckpointError('state.json lacks ok', { path: ck.path });
    };
    const r = await loadLatestGoodCheckpoint(dir, { validate });
    expect(r.checkpoint?.step).toBe(1);
    expect(r.skipped).toEqual([
      { path: join(dir, 'latest'), reason: "'latest' is not valid JSON" },
      { path: join(dir, 'step-000003'), reason: expect.stringMatching(/^weights\.bin has 3 bytes/) },
      { path: join(dir, 'step-000002'), reason: 'state.json lacks ok' },
    ]);
    tf.dispose([...r.checkpoint!.tensors.values()]);
    await truncate(join(dir, 'step-000001', 'state.json'), 5);
    const none = await loadLatestGoodCheckpoint(dir, { validate });
    expect(none.checkpoint).toBeUndefined();
    expect(none.skipped.map((x) => x.path.slice(dir.length + 1))).toEqual([
      'latest',
      'step-000003',
      'step-000002',
      'step-000001',
    ]);
  });
});
