/**
 * ONNX export checked by an independent runtime: the exported file runs in onnxruntime-node and
 * its embeddings match tfjs's (1e-4) for encoders trained a few SimCLR steps on real MNIST
 * (conv-small, mlp) and for a residual network with strided `same` convolutions on odd sizes,
 * pools, leaky ReLU, dropout, an Add shortcut and randomised batch-norm statistics.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index.js';
import { loadModality } from '../cli/load-modality.js';
import type { Modality } from '../cli/modality.js';
import { ConfigError } from '../errors.js';
import { functionalEncoder } from '../test-support/functional-encoder.js';
import { mnistPresent, mnistTrain, readMnistImages } from '../test-support/mnist.js';
import { tempDirs } from '../test-support/temp-dirs.js';
import type { Encoder } from '../methods/encoder.js';
import { Rng } from '../random/rng.js';
import { Trainer } from '../trainer/trainer.js';
import { layersModelToOnnx } from './layers-to-onnx.js';
import { exportOnnx } from './onnx.js';
import { onnxType } from './onnx-schema.js';

const haveMnist = mnistPresent('the ONNX export of trained encoders');

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** Runs an ONNX model in onnxruntime on `x` and returns the `embedding` output. */
async function runOnnx(
  model: Uint8Array | string,
  x: tf.Tensor,
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(model as Uint8Array);
  try {
    const input = new ort.Tensor('float32', (await x.data()) as Float32Array, x.shape);
    const out = (await session.run({ [session.inputNames[0]!]: input }))[session.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

beforeAll(async () => {
  await initBackend({ quiet: true });
});

/** Debian's python3-onnx gives the reference checker; without it that one test is skipped. */
const haveOnnxChecker = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('skipping the ONNX checker test: /usr/bin/python3 cannot import onnx (apt-get install python3-onnx)');
    return false;
  }
})();

describe.skipIf(!haveMnist)('exportOnnx of trained vision encoders', () => {
  const tempDir = tempDirs();
  let vision: Modality<unknown>;
  let images: tf.Tensor; // [64, 28, 28, 1]
  beforeAll(async () => {
    vision = await loadModality('vision');
    images = await readMnistImages(vision, 192, 64);
  });
  afterAll(() => {
    images?.dispose();
  });

  it.each(['conv-small', 'mlp'])('%s: onnxruntime gives the trained embeddings (1e-4)', async (kind) => {
    const data = await vision.loadUnlabeled(mnistTrain, { limit: 256 });
    const method = vision.methods.get('simclr').create({
      sampleShape: [28, 28, 1],
      options: kind === 'mlp' ? { encoder: 'mlp' } : { encoder: kind, width: 8 },
      rng: new Rng(5),
    });
    await new Trainer(method, { batchSize: 32, steps: 4, seed: 5, quiet: true }).fit(data);
    data.dispose?.();
    const dir = await tempDir('autodidact-onnx-export-');
    const before = tf.memory().numTensors;
    const result = await exportOnnx(method.encoder as Encoder<unknown>, dir, { metadata: { method: 'simclr' } });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.files).toEqual([join(dir, 'model.onnx')]);

    const expected = method.embed(images);
    const got = await runOnnx(result.files[0]!, images);
    expect(got.dims).toEqual(expected.shape);
    expect(maxAbsDiff(got.data, (await expected.data()) as Float32Array)).toBeLessThan(1e-4);
    expect(tf.tidy(() => expected.abs().max().dataSync()[0]!)).toBeGreaterThan(1e-3);

    // the file carries the encoder config and declares opset 13
    const decoded = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(await readFile(result.files[0]!)), {
      longs: Number,
    }) as { opset_import: { version: number }[]; metadata_props: { key: string; value: string }[] };
    expect(decoded.opset_import[0]!.version).toBe(13);
    const meta = JSON.parse(decoded.metadata_props.find((p) => p.key === 'autodidact')!.value);
    expect(meta.encoderConfig).toEqual(method.encoder.config);
    expect(meta.method).toBe('simclr');
    expected.dispose();
    method.dispose();
  });
});

/** A small ResNet-style network with every supported layer, on an odd image size. */
function residualNet(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const x = tf.input({ shape: [15, 13, 3] });
  const conv = (
    filters: number,
    k: number,
    s: number,
    name: string,
    padding: 'same' | 'valid' = 'same',
    useBias = false,
  ) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize: k,
      strides: s,
      padding,
      useBias,
      kernelInitializer: init(name.length),
    });
  const bn = (name: string) => tf.layers.batchNormalization({ name, epsilon: 1e-3 });
  let h = conv(8, 3, 1, 'stem', 'same', true).apply(x) as tf.SymbolicTensor;
  h = tf.layers.reLU({ name: 'stem_relu' }).apply(bn('stem_bn').apply(h)) as tf.SymbolicTensor;
  // residual block with a strided projection shortcut (15x13 -> 8x7, asymmetric same pads)
  let r = conv(12, 3, 2, 'b1_conv1').apply(h) as tf.SymbolicTensor;
  r = tf.layers.leakyReLU({ name: 'b1_lrelu', alpha: 0.1 }).apply(bn('b1_bn1').apply(r)) as tf.SymbolicTensor;
  r = bn('b1_bn2').apply(conv(12, 3, 1, 'b1_conv2').apply(r)) as tf.SymbolicTensor;
  const s = bn('b1_short_bn').apply(conv(12, 1, 2, 'b1_short', 'valid').apply(h)) as tf.SymbolicTensor;
  h = tf.layers.reLU({ name: 'b1_relu' }).apply(tf.layers.add({ name: 'b1_add' }).apply([r, s])) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ name: 'pool', poolSize: 3, strides: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .averagePooling2d({ name: 'avg', poolSize: 2, strides: 1, padding: 'same' })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({
      name: 'dil',
      filters: 6,
      kernelSize: 3,
      dilationRate: 2,
      padding: 'same',
      activation: 'relu6',
      kernelInitializer: init(7),
    })
    .apply(h) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(h) as tf.SymbolicTensor;
  let z = tf.layers
    .dense({ name: 'fc_flat', units: 6, activation: 'tanh', kernelInitializer: init(3) })
    .apply(flat) as tf.SymbolicTensor;
  z = tf.layers.add({ name: 'mix' }).apply([z, gap]) as tf.SymbolicTensor;
  z = tf.layers.dropout({ name: 'drop', rate: 0.5 }).apply(z) as tf.SymbolicTensor;
  z = bn('head_bn').apply(z) as tf.SymbolicTensor;
  z = tf.layers
    .dense({ name: 'out', units: 5, useBias: false, kernelInitializer: init(4) })
    .apply(z) as tf.SymbolicTensor;
  const model = tf.model({ name: 'resnet_tiny', inputs: x, outputs: z });
  // non-trivial batch-norm state, as after training
  const rng = new Rng(11);
  for (const w of model.weights) {
    const short = w.originalName.split('/').pop()!;
    if (['gamma', 'beta', 'moving_mean', 'moving_variance', 'bias'].includes(short)) {
      const n = w.shape[0]!;
      const values = Array.from({ length: n }, () =>
        short === 'moving_variance' || short === 'gamma' ? 0.5 + rng.uniform() : rng.uniform() - 0.5,
      );
      tf.tidy(() => {
        w.write(tf.tensor1d(values));
      });
    }
  }
  return model;
}

describe('layersModelToOnnx', () => {
  it('a residual network runs in onnxruntime with the tfjs outputs (1e-4)', async () => {
    const model = residualNet();
    const x = tf.randomUniform([4, 15, 13, 3], -1, 1, 'float32', 2);
    const expected = model.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const bytes = layersModelToOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
    const got = await runOnnx(bytes, x);
    expect(got.dims).toEqual([4, 5]);
    expect(maxAbsDiff(got.data, (await expected.data()) as Float32Array)).toBeLessThan(1e-4);
    // and the batch axis is symbolic: another batch size runs too
    const x1 = tf.randomUniform([1, 15, 13, 3], -1, 1, 'float32', 3);
    const e1 = model.predict(x1) as tf.Tensor;
    expect(maxAbsDiff((await runOnnx(bytes, x1)).data, (await e1.data()) as Float32Array)).toBeLessThan(1e-4);
    tf.dispose([x, expected, x1, e1]);
    model.dispose();
  });

  it.skipIf(!haveOnnxChecker)('passes the ONNX checker (python3-onnx)', async () => {
    const model = residualNet();
    const dir = await mkdtemp(join(tmpdir(), 'autodidact-onnx-check-'));
    try {
      await writeFile(join(dir, 'model.onnx'), layersModelToOnnx(model));
      const out = execFileSync('/usr/bin/python3', [
        '-c',
        'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print("ok")',
        join(dir, 'model.onnx'),
      ]).toString();
      expect(out.trim()).toBe('ok');
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the layer class it cannot map', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c', filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }),
        tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3 }),
      ],
    });
    expect(() => layersModelToOnnx(model)).toThrow(ConfigError);
    expect(() => layersModelToOnnx(model)).toThrow(/layer 'dw' \(DepthwiseConv2D\).*no ONNX mapping/);
    model.dispose();
  });

  it('refuses an encoder that is not a layers model', async () => {
    const functional = functionalEncoder('genomics', 'rc-conv-gru', 'onnx-test/w');
    await expect(exportOnnx(functional, tmpdir())).rejects.toThrow(
      /genomics\/rc-conv-gru.*not a network of standard layers/,
    );
    functional.dispose();
  });
});
