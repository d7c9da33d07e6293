import { ConfigError, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AudioEncoder, audioEncoderConfig } from './audio-encoder.js';

describe('AudioEncoder pooling', () => {
  const waves = tf.tidy(() => tf.randomNormal([3, 4000], 0, 0.1, 'float32', 7) as tf.Tensor2D);

  it('context pooling is the time-mean of the context frames', () => {
    const enc = new AudioEncoder(audioEncoderConfig(4000, { width: 8, contextDim: 12, context: 'gru' }), new Rng(0));
    expect(enc.config.outputDim).toBe(12);
    const e = enc.apply(waves, false);
    const c = tf.tidy(() => tf.mean(enc.context(enc.encode(waves, false), false), 1));
    expect(e.shape).toEqual([3, 12]);
    expect(tf.max(tf.abs(tf.sub(e, c))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([e, c]);
    enc.dispose();
  });

  it('latent+context pooling puts the latent mean before the context mean', () => {
    const config = audioEncoderConfig(4000, {
      width: 8,
      contextDim: 12,
      context: 'transformer',
      pooling: 'latent+context',
    });
    expect(config.outputDim).toBe(20);
    const enc = new AudioEncoder(config, new Rng(0));
    const before = tf.memory().numTensors;
    const e = enc.apply(waves, false);
    expect(tf.memory().numTensors).toBe(before + 1);
    const [zm, cm] = tf.tidy(() => {
      const z = enc.encode(waves, false);
      return [tf.mean(z, 1), tf.mean(enc.context(z, false), 1)];
    });
    expect(e.shape).toEqual([3, 20]);
    const [left, right] = tf.split(e, [8, 12], 1);
    expect(tf.max(tf.abs(tf.sub(left!, zm!))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(right!, cm!))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([e, zm!, cm!, left!, right!]);
    enc.dispose();
  });

  it('an unknown pooling is a ConfigError', () => {
    expect(() => audioEncoderConfig(4000, { pooling: 'max' as 'context' })).toThrow(ConfigError);
  });
});
