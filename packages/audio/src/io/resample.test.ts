import { describe, expect, it } from 'vitest';
import { loadAudioFixture } from '../test-support/fixtures.js';
import { resample } from './resample.js';

interface ResampleCase {
  fromRate: number;
  toRate: number;
  input: number[];
  output: number[];
}

function tone(freq: number, rate: number, n: number, phase = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * freq * i) / rate + phase));
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  const { cases } = loadAudioFixture<{ cases: ResampleCase[] }>('resample');
  for (const c of cases) {
    it(`matches the numpy resample_poly reference ${c.fromRate} -> ${c.toRate} Hz`, () => {
      const y = resample(Float32Array.from(c.input), c.fromRate, c.toRate);
      expect(y.length).toBe(c.output.length);
      let maxErr = 0;
      for (let i = 0; i < y.length; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - c.output[i]!));
      expect(maxErr).toBeLessThan(1e-5);
    });
  }

  it('keeps a pass-band tone (amplitude and phase) from 44.1 kHz to 16 kHz', () => {
    const y = resample(tone(1000, 44100, 44100), 44100, 16000);
    const ref = tone(1000, 16000, 16000);
    expect(y.length).toBe(16000);
    let maxErr = 0;
    for (let i = 1000; i < 15000; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(2e-3);
  });

  it('removes a tone above the new Nyquist frequency (anti-aliasing, > 40 dB down)', () => {
    const y = resample(tone(10000, 44100, 44100), 44100, 16000);
    const db = 20 * Math.log10(rms(y, 1000, 15000) / Math.SQRT1_2);
    expect(db).toBeLessThan(-40);
  });

  it('handles co-prime rates that need taps evaluated on the fly', () => {
    const y = resample(tone(500, 44101, 8000), 44101, 16000);
    const ref = tone(500, 16000, y.length);
    let maxErr = 0;
    for (let i = 500; i < y.length - 500; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(5e-3);
  });

  it('rejects non-integer rates', () => {
    expect(() => resample(new Float32Array(4), 0, 16000)).toThrow(/fromRate/);
    expect(() => resample(new Float32Array(4), 8000, 1.5)).toThrow(/toRate/);
  });
});
