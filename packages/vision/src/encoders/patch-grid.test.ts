import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { loadIdx } from '../io/idx.js';
import { createContext } from '../methods/context.js';
import { createJigsaw } from '../methods/jigsaw.js';
import { dataFile } from '../test-support/data.js';
import { gridTiles, type PatchGridConfig, PatchGridEncoder } from './patch-grid.js';
import { createEncoder, encoders, patchGrid } from './registry.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

it('gridTiles cuts the centred grid, image-major and row-major, pixel for pixel', () => {
  // 2 images of 11x10x2 with distinct values; 3 px tiles: a 3x3 grid, 1 px left over on each axis
  const [n, h, w, c, p] = [2, 11, 10, 2, 3];
  const values = Float32Array.from({ length: n * h * w * c }, (_, i) => i);
  const images = tf.tensor4d(values, [n, h, w, c]);
  const tiles = gridTiles(images, p);
  expect(tiles.shape).toEqual([n * 9, p, p, c]);
  const got = tiles.dataSync();
  const top = 1; // floor((11 - 9) / 2)
  const left = 0; // floor((10 - 9) / 2)
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let r = 0; r < 3; r++)
      for (let q = 0; q < 3; q++)
        for (let y = 0; y < p; y++)
          for (let x = 0; x < p; x++)
            for (let ch = 0; ch < c; ch++) {
              const src = ((i * h + top + r * p + y) * w + left + q * p + x) * c + ch;
              expect(got[k++]).toBe(values[src]);
            }
  tf.dispose([images, tiles]);
});

it('a patch-grid embedding is the concatenation of the patch encoder on each tile', () => {
  const config = patchGrid.config([28, 28, 1], { patch: 7, width: 4 });
  expect(config.outputDim).toBe(16 * 16); // 4x4 tiles of a 16-d conv-small
  const encoder = patchGrid.build(config, new Rng(0)) as PatchGridEncoder;
  const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
  const e = encoder.apply(images, false);
  expect(e.shape).toEqual([3, 256]);
  const got = e.arraySync();
  for (let r = 0; r < 4; r++)
    for (let q = 0; q < 4; q++) {
      const tile = tf.slice(images, [0, 7 * r, 7 * q, 0], [3, 7, 7, 1]);
      const t = encoder.patchEncoder.apply(tile, false).arraySync();
      for (let i = 0; i < 3; i++)
        for (let d = 0; d < 16; d++) expect(got[i]![(r * 4 + q) * 16 + d]).toBeCloseTo(t[i]![d]!, 5);
      tf.dispose(tile);
    }
  tf.dispose([images, e]);
  encoder.dispose();
});

it('context and jigsaw embed through the grid, and their saved config rebuilds the same encoder', async () => {
  const digits = await loadIdx(dataFile('mnist', 't10k-images-idx3-ubyte'), { limit: 8 });
  for (const create of [createContext, createJigsaw]) {
    const method = create([28, 28, 1], { width: 4 }, new Rng(3));
    expect(method.encoder.config.kind).toBe('patch-grid');
    expect(method.trunk.config.inputShape).toEqual([7, 7, 1]);
    // the grid owns no variables of its own: checkpoints hold the trunk's
    expect([...method.encoder.allVariables().keys()]).toEqual([...method.trunk.allVariables().keys()]);
    const rebuilt = createEncoder(JSON.parse(JSON.stringify(method.encoder.config)), new Rng(99));
    const source = method.encoder.allVariables();
    for (const [name, v] of rebuilt.allVariables()) v.assign(source.get(name)!);
    const a = method.embed(digits.inputs);
    const b = rebuilt.apply(digits.inputs, false);
    expect(a.shape).toEqual([8, 16 * 16]);
    expect(tf.tidy(() => tf.sub(a, b).abs().max().dataSync()[0]!)).toBe(0);
    tf.dispose([a, b]);
    rebuilt.dispose();
    method.dispose();
  }
  digits.dispose?.();
});

it("embed 'image' keeps the whole-image encoder; an unknown mode or a tile larger than the image is a ConfigError", () => {
  const m = createContext([28, 28, 1], { width: 4, embed: 'image' }, new Rng(0));
  expect(m.encoder).toBe(m.trunk);
  expect(m.encoder.config.inputShape).toEqual([28, 28, 1]);
  m.dispose();
  expect(() => createJigsaw([28, 28, 1], { width: 4, embed: 'tiles' }, new Rng(0))).toThrow(
    /expects one of patch-grid, image/,
  );
  expect(() => patchGrid.config([28, 28, 1], { patch: 29 })).toThrow(/tile side in 1\.\.28/);
  // a patch encoder whose width is not the one the config names
  const conv = encoders.get('conv-small');
  const wide = conv.build(conv.config([7, 7, 1], { width: 8 }), new Rng(0));
  const config = patchGrid.config([28, 28, 1], { patch: 7, width: 4 }) as PatchGridConfig;
  expect(() => new PatchGridEncoder(config, wide)).toThrow(/outputs 32-d, the config says 16/);
  wide.dispose();
});
