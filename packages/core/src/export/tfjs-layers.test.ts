/**
 * tfjs layers export of a really trained encoder: a few SimCLR steps on real MNIST (vision,
 * loaded at run time as the CLI loads it), export, load back with plain tfjs (through the file
 * handler, and over HTTP as a browser does), compare embeddings with the trained encoder.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index.js';
import { loadModality } from '../cli/load-modality.js';
import type { Modality } from '../cli/modality.js';
import { ConfigError } from '../errors.js';
import { functionalEncoder } from '../test-support/functional-encoder.js';
import { mnistPresent, mnistTrain, readMnistImages } from '../test-support/mnist.js';
import { tempDirs } from '../test-support/temp-dirs.js';
import type { Encoder, EncoderConfig } from '../methods/encoder.js';
import type { Method } from '../methods/method.js';
import { Rng } from '../random/rng.js';
import { Trainer } from '../trainer/trainer.js';
import { fileLoadHandler } from './file-io-handler.js';
import { exportTfjsLayers } from './tfjs-layers.js';

const haveMnist = mnistPresent('the tfjs export test');

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe.skipIf(!haveMnist)('exportTfjsLayers', () => {
  const tempDir = tempDirs();
  let vision: Modality<unknown>;
  let images: tf.Tensor; // [64, 28, 28, 1]
  beforeAll(async () => {
    await initBackend({ quiet: true });
    vision = await loadModality('vision');
    images = await readMnistImages(vision, 192, 64);
  });
  afterAll(() => {
    images?.dispose();
  });

  /** A few real SimCLR steps so batch-norm statistics and weights are off their init. */
  async function trained(encoder: string): Promise<Method<unknown>> {
    const data = await vision.loadUnlabeled(mnistTrain, { limit: 256 });
    const method = vision.methods.get('simclr').create({
      sampleShape: [28, 28, 1],
      options: encoder === 'mlp' ? { encoder: 'mlp' } : { encoder, width: 8 },
      rng: new Rng(3),
    });
    await new Trainer(method, { batchSize: 32, steps: 4, seed: 3, quiet: true }).fit(data);
    data.dispose?.();
    return method;
  }

  it.each(['conv-small', 'mlp'])('%s: loads back in plain tfjs with the same embeddings (1e-5)', async (kind) => {
    const method = await trained(kind);
    const dir = await tempDir('autodidact-tfjs-export-');
    const before = tf.memory().numTensors;
    const result = await exportTfjsLayers(method.encoder as Encoder<unknown>, dir, { metadata: { method: 'simclr' } });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.files.map((f) => f.slice(dir.length + 1))).toEqual(['model.json', 'weights.bin']);
    expect(result.outputDim).toBe(method.encoder.config.outputDim);

    const model = await tf.loadLayersModel(fileLoadHandler(join(dir, 'model.json')));
    const expected = method.embed(images);
    const got = model.predict(images) as tf.Tensor;
    expect(got.shape).toEqual(expected.shape);
    const diff = maxAbsDiff((await got.data()) as Float32Array, (await expected.data()) as Float32Array);
    expect(diff).toBeLessThan(1e-5);
    // the embeddings are not trivially equal to zero (a broken load would give init weights or zeros)
    expect(tf.tidy(() => expected.abs().max().dataSync()[0]!)).toBeGreaterThan(1e-3);
    const meta = model.getUserDefinedMetadata() as { autodidact: { encoderConfig: EncoderConfig; method: string } };
    expect(meta.autodidact.encoderConfig).toEqual(method.encoder.config);
    expect(meta.autodidact.method).toBe('simclr');
    tf.dispose([expected, got]);
    model.dispose();
    method.dispose();
  });

  it('is what a browser loads: tf.loadLayersModel over HTTP gives the same embeddings', async () => {
    const method = await trained('conv-small');
    const dir = await tempDir('autodidact-tfjs-export-');
    await exportTfjsLayers(method.encoder as Encoder<unknown>, dir);
    const server: Server = createServer(async (req, res) => {
      try {
        const body = await readFile(join(dir, (req.url ?? '/').slice(1)));
        res.writeHead(200, {
          'content-type': extname(req.url ?? '') === '.json' ? 'application/json' : 'application/octet-stream',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const { port } = server.address() as { port: number };
      const model = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      const expected = method.embed(images);
      const got = model.predict(images) as tf.Tensor;
      expect(maxAbsDiff((await got.data()) as Float32Array, (await expected.data()) as Float32Array)).toBeLessThan(
        1e-5,
      );
      tf.dispose([expected, got]);
      model.dispose();
    } finally {
      server.close();
      method.dispose();
    }
  });

  it('refuses an encoder that is not a layers model, naming it', async () => {
    const functional = functionalEncoder('text', 'transformer', 'functional/w');
    const dir = await tempDir('autodidact-tfjs-export-');
    const err = await exportTfjsLayers(functional, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/text\/transformer.*not a network of standard layers/);
    functional.dispose();
  });
});
