/**
 * `autodidact export` end to end through the CLI entry point: a tiny real pretrain run on MNIST,
 * `embed` for the reference embeddings, `export --format tfjs` and `--format onnx`; the tfjs
 * export loaded with plain tfjs and the ONNX export run in onnxruntime give the same embeddings.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readBatch } from '../../data/streaming-dataset.js';
import { fileLoadHandler } from '../../export/file-io-handler.js';
import { loadModality } from '../load-modality.js';
import { mnistPresent, mnistTrain } from '../../test-support/mnist.js';
import { simclrMnistArgs } from '../../test-support/mnist-cli-args.js';
import { runCli } from '../../test-support/run-cli.js';
import { tempDirs } from '../../test-support/temp-dirs.js';

const haveMnist = mnistPresent('the export CLI test');

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe.skipIf(!haveMnist)('autodidact export', () => {
  const tempDir = tempDirs();

  it('exports a pretrain run to tfjs and ONNX; both reproduce `autodidact embed`', async () => {
    const dir = await tempDir('autodidact-export-cli-');
    const runDir = join(dir, 'run');
    const pretrain = await runCli(
      simclrMnistArgs(
        { limit: 128, batchSize: 32, steps: 3, out: runDir },
        '--option',
        'width=8',
        '--no-eval',
        '--no-report',
        '--map-samples',
        '0',
        '-q',
      ),
    );
    expect(pretrain.code, pretrain.stderr).toBe(0);
    const embed = await runCli([
      'embed',
      runDir,
      '--data',
      mnistTrain,
      '--limit',
      '16',
      '--out',
      join(dir, 'z.json'),
      '-q',
    ]);
    expect(embed.code, embed.stderr).toBe(0);
    const reference = JSON.parse(await readFile(join(dir, 'z.json'), 'utf8')) as {
      shape: number[];
      embeddings: number[][];
    };
    const expected = reference.embeddings.flat();

    const tfjs = await runCli(['export', runDir, '--format', 'tfjs', '--out', join(dir, 'tfjs'), '-q']);
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
    const onnx = await runCli([
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

    const data = await (await loadModality('vision')).loadUnlabeled(mnistTrain, { limit: 16 });
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
    const dir = await tempDir('autodidact-export-cli-');
    expect((await runCli(['export', dir, '--format', 'pt', '--out', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['export', dir])).code).toBe(2);
    const missing = await runCli(['export', dir, '--out', join(dir, 'x'), '-q']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${dir}: missing encoder.json`);
  });
});
