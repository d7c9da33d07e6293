import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadAudioFixture } from '../test-support/fixtures.js';
import { LogMel, type LogMelOptions, logMelStats, melFilterbank } from './log-mel.js';

interface MelCase {
  options: LogMelOptions;
  input: number[];
  shape: [number, number];
  output: number[];
  filterbank: number[];
}

describe('log-mel', () => {
  const { cases } = loadAudioFixture<{ cases: MelCase[] }>('log-mel');
  for (const c of cases) {
    const o = c.options;
    it(`matches the numpy reference (sr ${o.sampleRate}, nFft ${o.nFft}, hop ${o.hop}, ${o.nMels} mels, ${c.input.length} samples)`, () => {
      const fb = melFilterbank(o.sampleRate, o.nFft, o.nMels, o.fMin, o.fMax);
      let fbErr = 0;
      for (let i = 0; i < fb.length; i++) fbErr = Math.max(fbErr, Math.abs(fb[i]! - c.filterbank[i]!));
      expect(fbErr).toBeLessThan(1e-5);
      const lm = new LogMel(o);
      const y = lm.apply(tf.tensor2d(c.input, [1, c.input.length]));
      expect(y.shape).toEqual([1, ...c.shape]);
      const got = y.dataSync();
      // Compare where the band has energy well above eps (the log amplifies float32 noise near 0).
      let maxErr = 0;
      for (let i = 0; i < got.length; i++) {
        if (c.output[i]! > -6) maxErr = Math.max(maxErr, Math.abs(got[i]! - c.output[i]!));
      }
      expect(maxErr).toBeLessThan(2e-3);
      y.dispose();
      lm.dispose();
    });
  }

  it('pooled statistics: mean and std over time per band', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 2],
        [5, 2],
      ],
    ]);
    const s = logMelStats(x);
    const v = s.arraySync()[0]!;
    expect(v[0]).toBeCloseTo(3, 5);
    expect(v[1]).toBeCloseTo(2, 5);
    expect(v[2]).toBeCloseTo(Math.sqrt(8 / 3), 4);
    expect(v[3]).toBeCloseTo(0, 3);
    tf.dispose([x, s]);
  });

  it('holds no tensors beyond its bases across repeated calls', () => {
    const lm = new LogMel();
    const x = tf.randomNormal([2, 1600]) as tf.Tensor2D;
    lm.apply(x).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) lm.apply(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    lm.dispose();
    x.dispose();
  });
});
