/**
 * `autodidact export` end to end through the CLI entry point: a tiny real pretrain run on MNIST,
 * `embed` for the reference embeddings, `export --format tfjs` and `--format onnx`; the tfjs
 * export loaded with plain tfjs and the ONNX export run in onnxruntime give the same embeddings.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readBatch } from '../../data/streaming-dataset.js';
import { env } from '../../env.js';
import { fileLoadHandler } from '../../export/file-io-handler.js';
import { loadModality } from '../load-modality.js';
import { main } from '../main.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const mnist = join(env.dataDir ?? join(repo, 'data'), 'mnist', 'train-images-idx3-ubyte');
const haveMnist = existsSync(mnist);
if (!haveMnist) console.warn(`skipping the export CLI test: ${mnist} is missing (run node tools/fetch-data.mjs mnist)`);

/** Runs the CLI with stdout/stderr captured. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe.skipIf(!haveMnist)('autodidact export', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('exports a pretrain run to tfjs and ONNX; both reproduce `autodidact embed`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autodidact-export-cli-'));
    dirs.push(dir);
    const runDir = join(dir, 'run');
    const pretrain = await run([
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--option',
      'width=8',
      '--data',
      mnist,
      '--limit',
      '128',
      '--batch-size',
      '32',
      '--steps',
      '3',
      '--out',
      runDir,
      '--no-eval',
      '--no-report',
      '--map-samples',
      '0',
      '-q',
    ]);
    expect(pretrain.code, pretrain.stderr).toBe(0);
    const embed = await run(['embed', runDir, '--data', mnist, '--limit', '16', '--out', join(dir, 'z.json'), '-q']);
    expect(embed.code, embed.stderr).toBe(0);
    const reference = JSON.parse(await readFile(join(dir, 'z.json'), 'utf8')) as {
      shape: number[];
      embeddings: number[][];
    };
    const expected = reference.embeddings.flat();

    const tfjs = await run(['export', runDir, '--format', 'tfjs', '--out', join(dir, 'tfjs'), '-q']);
    expect(tfjs.code, tfjs.stderr).toBe(0);
    const tfjsResult = JSON.parse(tfjs.stdout) as {
      format: string;
      files: string[];
      inputShape: number[];
      outputDim: number;
    };
    expect(tfjsResult).toEqual({
      format: 'tfjs-layers',
      files: [join(dir, 'tfjs', 'model.json'), join(dir, 'tfjs', 'weights.bin')],
      inputShape: [28, 28, 1],
      outputDim: 32,
    });
    // the encoder's own encoder.json is accepted as the source too
    const onnx = await run([
      'export',
      join(runDir, 'encoder.json'),
      '--format',
      'onnx',
      '--out',
      join(dir, 'onnx'),
      '-q',
    ]);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect((JSON.parse(onnx.stdout) as { files: string[] }).files).toEqual([join(dir, 'onnx', 'model.onnx')]);

    const data = await (await loadModality('vision')).loadUnlabeled(mnist, { limit: 16 });
    const images = (await readBatch(
      data,
      Array.from({ length: 16 }, (_, i) => i),
    )) as tf.Tensor;
    data.dispose?.();
    const model = await tf.loadLayersModel(fileLoadHandler(tfjsResult.files[0]!));
    const fromTfjs = model.predict(images) as tf.Tensor;
    expect(fromTfjs.shape).toEqual(reference.shape);
    expect(maxAbsDiff((await fromTfjs.data()) as Float32Array, expected)).toBeLessThan(1e-5);

    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
    const input = new ort.Tensor('float32', (await images.data()) as Float32Array, images.shape);
    const fromOnnx = (await session.run({ input })).embedding!;
    expect(fromOnnx.dims).toEqual(reference.shape);
    expect(maxAbsDiff(fromOnnx.data as Float32Array, expected)).toBeLessThan(1e-4);
    await session.release();
    tf.dispose([images, fromTfjs]);
    model.dispose();
  });

  it('usage errors exit 2, a folder without an encoder exits 1 naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autodidact-export-cli-'));
    dirs.push(dir);
    expect((await run(['export', dir, '--format', 'pt', '--out', join(dir, 'x')])).code).toBe(2);
    expect((await run(['export', dir])).code).toBe(2);
    const missing = await run(['export', dir, '--out', join(dir, 'x'), '-q']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${dir}: missing encoder.json`);
  });
});
