import { initBackend, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBases } from '../encode/base-codes.js';
import { oneHot } from '../encode/one-hot.js';
import { reverseComplementOneHot } from '../encode/reverse-complement.js';
import { RcConvGruEncoder, rcConvGruConfig } from './rc-conv-gru.js';
import { createEncoder } from './registry.js';

beforeAll(async () => {
  await initBackend();
});

function randomDna(n: number, len: number, seed: number): tf.Tensor3D {
  const rng = new Rng(seed);
  return oneHot(Array.from({ length: n }, () => Uint8Array.from({ length: len }, () => rng.int(4))));
}

describe('rc-conv-gru encoder', () => {
  it('has stable variable names and the documented shapes', () => {
    const enc = new RcConvGruEncoder(rcConvGruConfig([128, 4], { width: 8, hidden: 6 }), new Rng(0));
    expect([...enc.trainableVariables().keys()].sort()).toEqual([
      'encoder/conv1/bias',
      'encoder/conv1/kernel',
      'encoder/conv2/bias',
      'encoder/conv2/kernel',
      'encoder/gru/bias_h',
      'encoder/gru/bias_r',
      'encoder/gru/bias_z',
      'encoder/gru/kernel_h',
      'encoder/gru/kernel_r',
      'encoder/gru/kernel_z',
      'encoder/gru/recurrent_bias_h',
      'encoder/gru/recurrent_kernel_h',
      'encoder/gru/recurrent_kernel_r',
      'encoder/gru/recurrent_kernel_z',
    ]);
    const x = randomDna(3, 128, 1);
    tf.tidy(() => {
      const z = enc.latents(x, false);
      expect(z.shape).toEqual([3, 8, 8]);
      expect(enc.context(z, false).shape).toEqual([3, 8, 6]);
      expect(enc.apply(x, false).shape).toEqual([3, 14]);
      // Other window lengths work too (150 bp -> 9 patches).
      expect(enc.apply(randomDna(2, 150, 2), false).shape).toEqual([2, 14]);
    });
    x.dispose();
    enc.dispose();
  });

  it('embeds a sequence and its reverse complement identically', () => {
    const enc = new RcConvGruEncoder(rcConvGruConfig([160, 4], { width: 8, hidden: 6 }), new Rng(3));
    const x = oneHot([encodeBases('ACGTTGCA'.repeat(20)), encodeBases('AAAACCCGGT'.repeat(16))]);
    const [a, b, c] = tf.tidy(() => {
      const rc = reverseComplementOneHot(x);
      return [
        enc.apply(x, false).arraySync(),
        enc.apply(rc, false).arraySync(),
        enc.strandEmbedding(x, false).arraySync(),
      ];
    });
    for (let i = 0; i < 2; i++) for (let j = 0; j < 14; j++) expect(b![i]![j]).toBeCloseTo(a![i]![j]!, 5);
    // ...which the single-strand summary is not.
    expect(c!.flat().some((v, k) => Math.abs(v - a!.flat()[k]!) > 1e-4)).toBe(true);
    x.dispose();
    enc.dispose();
  });

  it('is rebuilt from its config by the registry', () => {
    const cfg = rcConvGruConfig([64, 4], { width: 4, hidden: 4 });
    const enc = createEncoder(JSON.parse(JSON.stringify(cfg)), new Rng(0));
    expect(enc.config).toEqual(cfg);
    enc.dispose();
    expect(() => rcConvGruConfig([8, 4])).toThrow(/shorter than one patch/);
    expect(() => rcConvGruConfig([64, 4], { patchLength: 8 })).toThrow(/square/);
  });
});
