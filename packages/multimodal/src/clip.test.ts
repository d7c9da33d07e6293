import { ConfigError, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Clip } from './clip.js';
import { BagOfTokensEncoder, bagOfTokensConfig, buildVocab } from './encoders/bag-of-tokens-encoder.js';

const texts = ['a red cat', 'a blue dog', 'the green bird', 'one red fish'];

function towers(rng: Rng) {
  const vocab = buildVocab(texts);
  return [
    new BagOfTokensEncoder(bagOfTokensConfig(vocab, 8), rng, 'a/'),
    new BagOfTokensEncoder(bagOfTokensConfig(vocab, 6), rng, 'b/'),
  ] as const;
}

describe('Clip', () => {
  it('allocates no lasting tensors across repeated steps and learns to pair', () => {
    const rng = new Rng(1);
    const [ta, tb] = towers(rng);
    const clip = new Clip(ta, tb, rng, { projectionDim: 4, learningRate: 0.05 });
    const xa = ta.bags(texts);
    const xb = tb.bags(texts);
    const first = clip.trainStep(xa, xb); // creates Adam's slots
    const after = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = clip.trainStep(xa, xb);
    expect(tf.memory().numTensors).toBe(after);
    expect(last).toBeLessThan(first);
    expect(clip.trainableVariables().has('logScale')).toBe(true);
    expect(clip.trainableVariables().has('a/a/embedding/table')).toBe(true);
    const e = clip.embedA(xa);
    expect(e.shape).toEqual([4, 4]);
    const norms = tf.tidy(() => tf.norm(e, 'euclidean', 1).dataSync());
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
    tf.dispose([e, xa, xb]);
    clip.dispose();
  });

  it('starts at scale 1/0.07 and rejects bad options', () => {
    const rng = new Rng(2);
    const [ta, tb] = towers(rng);
    const clip = new Clip(ta, tb, rng);
    expect(clip.scale()).toBeCloseTo(1 / 0.07, 3);
    expect(() => new Clip(ta, tb, rng, { projectionDim: 0 })).toThrow(ConfigError);
    expect(() => new Clip(ta, tb, rng, { learningRate: -1 })).toThrow(ConfigError);
    clip.dispose();
  });
});
