import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@autodidact/core';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFormatError } from '../../../core/src/test-support/bad-file-policy.js';
import { wavBytes } from '../test-support/fixtures.js';
import { fitClip } from './fit-clip.js';
import { readWav } from './read-wav.js';
import { decodeWav, decodeWavMono } from './wav.js';
import { listWavFiles, loadWavFolder } from './wav-folder.js';

describe('decodeWav', () => {
  // Full-scale values in each format's own convention, and what they must decode to.
  const cases: [string, number[], number[]][] = [
    ['8', [0, 128, 255, 64], [-1, 0, 127 / 128, -0.5]],
    ['16', [-32768, 0, 32767, 16384], [-1, 0, 32767 / 32768, 0.5]],
    ['24', [-8388608, 0, 8388607, -4194304], [-1, 0, 8388607 / 8388608, -0.5]],
    ['32', [-2147483648, 0, 2147483647, 1073741824], [-1, 0, 2147483647 / 2147483648, 0.5]],
    ['32f', [-1, 0, 0.25, 0.999], [-1, 0, 0.25, 0.999]],
    ['64', [-0.5, 0, 0.125, 1], [-0.5, 0, 0.125, 1]],
  ];
  for (const [bits, raw, want] of cases) {
    it(`decodes ${bits}-bit ${bits.endsWith('f') || bits === '64' ? 'float' : 'PCM'} to [-1, 1]`, () => {
      const d = decodeWav(wavBytes([raw], 8000, bits), 'x.wav');
      expect(d.sampleRate).toBe(8000);
      expect(d.channels).toHaveLength(1);
      for (let i = 0; i < want.length; i++) expect(d.channels[0]![i]).toBeCloseTo(want[i]!, 6);
    });
  }

  it('decodes A-law and mu-law', () => {
    for (const law of ['alaw', 'mulaw'] as const) {
      const w = wavBytes([[0, 8000, -16000, 32000]], 8000, '16');
      const { WaveFile } = wavefile;
      const f = new WaveFile(w);
      if (law === 'alaw') f.toALaw();
      else f.toMuLaw();
      const d = decodeWav(f.toBuffer(), 'x.wav');
      const want = [0, 8000 / 32768, -16000 / 32768, 32000 / 32768];
      // the declared rate survives the companded-to-PCM conversion
      expect(d.sampleRate).toBe(8000);
      for (let i = 0; i < 4; i++) expect(Math.abs(d.channels[0]![i]! - want[i]!)).toBeLessThan(0.03);
    }
  });

  it('mixes channels down to mono and resamples to the target rate', () => {
    const n = 8000;
    const left = Array.from({ length: n }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 300 * i) / 8000)));
    const right = left.map((v) => -v / 2);
    const clip = decodeWavMono(wavBytes([left, right], 8000, '16'), 'st.wav', { sampleRate: 16000 });
    expect(clip.sampleRate).toBe(16000);
    expect(clip.samples.length).toBe(16000);
    expect(clip.source).toEqual({ sampleRate: 8000, channels: 2, bitDepth: '16' });
    // mean of (s, -s/2) = s/4: a 300 Hz tone at amplitude 16000/32768/4
    const amp = 16000 / 32768 / 4;
    for (let i = 2000; i < 14000; i += 97) {
      expect(clip.samples[i]!).toBeCloseTo(amp * Math.sin((2 * Math.PI * 300 * i) / 16000), 2);
    }
    expect(decodeWavMono(wavBytes([left], 8000, '16'), 'm.wav', { sampleRate: 0 }).samples.length).toBe(n);
  });

  it('rejects non-WAV, truncated and unsupported files naming the file', () => {
    const good = wavBytes([[1, 2, 3, 4, 5, 6]], 8000, '16');
    const bad: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello, this is not audio at all'), /not a WAV/],
      [new Uint8Array(0), /not a WAV/],
      [good.slice(0, good.length - 3), /truncated/],
      [good.slice(0, 30), /bad\.wav/],
    ];
    for (const [bytes, re] of bad) expectFormatError(() => decodeWav(bytes, 'bad.wav'), 'bad.wav', re);
    // IMA-ADPCM (format 17) is a valid WAV we do not decode.
    const { WaveFile } = wavefile;
    const f = new WaveFile(wavBytes([Array.from({ length: 1024 }, (_, i) => i)], 8000, '16'));
    f.toIMAADPCM();
    expect(() => decodeWav(f.toBuffer(), 'adpcm.wav')).toThrow(/adpcm\.wav: .*unsupported encoding \(format code 17/);
  });
});

describe('WAV files and folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'autodidact-wav-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const tone = (n: number, v: number) => Array.from({ length: n }, () => v);
  for (const [cls, files] of [
    ['no', [['a.wav', 3000, 1000]]],
    [
      'yes',
      [
        ['b.wav', 800, -2000],
        ['c.WAV', 1600, 3000],
      ],
    ],
  ] as const) {
    mkdirSync(join(root, cls));
    for (const [name, n, v] of files) writeFileSync(join(root, cls, name), wavBytes([tone(n, v)], 16000, '16'));
  }

  it('readWav names a missing file', async () => {
    await expect(readWav(join(root, 'missing.wav'))).rejects.toThrow(/missing\.wav: no such file \(ENOENT\)/);
  });

  it('lists class subfolders as labels', async () => {
    const l = await listWavFiles(root, true);
    expect(l.classNames).toEqual(['no', 'yes']);
    expect([...l.labels!]).toEqual([0, 1, 1]);
    expect(l.files.map((f) => f.slice(root.length + 1))).toEqual(['no/a.wav', 'yes/b.wav', 'yes/c.WAV']);
  });

  it('loads fixed-length clips: centre crop and centred zero pad', async () => {
    const ds = await loadWavFolder(root, { clipSamples: 1600 });
    expect(ds.inputs.shape).toEqual([3, 1600]);
    const x = (await ds.inputs.array()) as number[][];
    expect(x[0]!.every((v) => Math.abs(v - 1000 / 32768) < 1e-6)).toBe(true); // cropped, all signal
    expect(x[1]!.slice(0, 400).every((v) => v === 0)).toBe(true); // 800 samples centred in 1600
    expect(x[1]![400]).toBeCloseTo(-2000 / 32768, 6);
    expect(x[1]!.slice(1200).every((v) => v === 0)).toBe(true);
    expect([...ds.labels!]).toEqual([0, 1, 1]);
    const sub = ds.select([2, 0]);
    expect([...sub.labels!]).toEqual([1, 0]);
    expect(sub.files[0]).toMatch(/c\.WAV$/);
    ds.dispose();
    sub.dispose();
  });

  it('fails on a corrupt file naming it, or skips it on request; rejects unlabelled layouts for labels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autodidact-wav-bad-'));
    writeFileSync(join(dir, 'good.wav'), wavBytes([tone(100, 5)], 16000, '16'));
    writeFileSync(join(dir, 'broken.wav'), new TextEncoder().encode('RIFF....WAVEjunk'));
    await expect(loadWavFolder(dir)).rejects.toThrow(/broken\.wav: /);
    const ds = await loadWavFolder(dir, { skipCorrupt: true, clipSamples: 100 });
    expect(ds.size).toBe(1);
    expect(ds.skipped).toBe(1);
    ds.dispose();
    await expect(loadWavFolder(dir, { requireLabels: true })).rejects.toBeInstanceOf(ConfigError);
    await expect(loadWavFolder(join(dir, 'good.wav'))).rejects.toThrow(/expected a folder/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fitClip pads odd differences consistently', () => {
    const out = new Float32Array(5);
    fitClip(Float32Array.from([1, 2]), 5, out);
    expect([...out]).toEqual([0, 1, 2, 0, 0]);
    fitClip(Float32Array.from([1, 2, 3, 4, 5, 6, 7]), 5, out);
    expect([...out]).toEqual([2, 3, 4, 5, 6]);
  });
});
