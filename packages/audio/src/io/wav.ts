/**
 * WAV decoding through the `wavefile` library (RIFF/RIFX/RF64 parsing is its job): PCM 8-32
 * bit integer, 32/64-bit float, A-law and mu-law, any sample rate and channel count, decoded
 * to Float32 channels in [-1, 1]. We add what a training pipeline needs on top: checks that
 * the header is sane and the data chunk complete (wavefile silently decodes a truncated data
 * chunk), mono mixdown and resampling to a target rate. Every failure is a DataFormatError
 * naming the file.
 */
import { DataFormatError } from '@autodidact/core';
import * as wavefile from 'wavefile';
import { resample } from './resample.js';

// Node loads wavefile's CommonJS build (the class under `default`); bundlers take its ES module
// (the `module` field), which has the class as a named export only.
type WaveFileClass = typeof wavefile.WaveFile;
const wavefileModule: { WaveFile?: WaveFileClass; default?: { WaveFile: WaveFileClass } } = wavefile;
const WaveFile = (wavefileModule.default?.WaveFile ?? wavefileModule.WaveFile) as WaveFileClass;

/** A decoded WAV file: one Float32 array per channel, values in [-1, 1]. */
export interface DecodedWav {
  /** Samples per channel, `channels[c][t]`. */
  channels: Float32Array[];
  /** Samples per second. */
  sampleRate: number;
  /** wavefile's bit depth code: `8`..`32` (integer PCM), `32f`, `64`, `8a` (A-law), `8m` (mu-law). */
  bitDepth: string;
}

/** Options of {@link readWav} and {@link decodeWavMono}. */
export interface ReadWavOptions {
  /** Resample to this rate (Hz). Default 16000; `0` keeps the file's rate. */
  sampleRate?: number;
}

/** A mono clip at a known rate. */
export interface MonoClip {
  /** Samples in [-1, 1] (mixdown may exceed slightly after resampling). */
  samples: Float32Array;
  sampleRate: number;
  /** Rate and channel count of the file before conversion. */
  source: { sampleRate: number; channels: number; bitDepth: string };
}

/** Largest channel count we accept (WAVE_FORMAT_EXTENSIBLE allows 18 speaker positions). */
const MAX_CHANNELS = 64;

interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

interface DataChunk {
  chunkSize: number;
  samples: Uint8Array;
}

/**
 * Decodes the bytes of a WAV file into Float32 channels in [-1, 1].
 * @param file named in errors.
 * @throws DataFormatError for non-WAV bytes, a truncated data chunk, or an unsupported encoding.
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedWav {
  if (bytes.length < 12) {
    const riff = bytes.length > 0 && 'RIFF'.startsWith(String.fromCharCode(...bytes.subarray(0, 4)));
    throw new DataFormatError(`not a WAV file (${bytes.length} bytes)`, {
      file,
      reason: bytes.length === 0 ? 'empty' : riff ? 'truncated' : 'wrong format',
    });
  }
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  const wave = String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!);
  if (!['RIFF', 'RIFX', 'RF64'].includes(magic) || wave !== 'WAVE') {
    throw new DataFormatError(`not a WAV file (expected a RIFF/RIFX/RF64 'WAVE' header, found '${magic}')`, {
      file,
      reason: 'wrong format',
    });
  }
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    const message = (err as Error).message;
    throw new DataFormatError(`unreadable WAV: ${message}`, {
      file,
      cause: err,
      reason: /not found|out of range|offset|end of|truncat/i.test(message) ? 'truncated' : 'corrupt',
    });
  }
  const fmt = wav.fmt as FmtChunk;
  const data = wav.data as DataChunk;
  const ch = fmt.numChannels;
  if (!Number.isInteger(ch) || ch < 1 || ch > MAX_CHANNELS) {
    throw new DataFormatError(`fmt chunk: expected 1-${MAX_CHANNELS} channels, got ${ch}`, { file });
  }
  if (!Number.isFinite(fmt.sampleRate) || fmt.sampleRate < 1) {
    throw new DataFormatError(`fmt chunk: expected a positive sample rate, got ${fmt.sampleRate}`, { file });
  }
  // fromALaw/fromMuLaw below rebuild the fmt chunk; keep what the file declared.
  const sampleRate = fmt.sampleRate;
  const bitDepth = wav.bitDepth;
  const code = formatCode(fmt, wav);
  const bits = fmt.bitsPerSample;
  let kind: 'int' | 'uint8' | 'float' | 'alaw' | 'mulaw';
  if (code === 1 && bits === 8) kind = 'uint8';
  else if (code === 1 && bits > 8 && bits <= 32) kind = 'int';
  else if (code === 3 && (bits === 32 || bits === 64)) kind = 'float';
  else if (code === 6 && bits === 8) kind = 'alaw';
  else if (code === 7 && bits === 8) kind = 'mulaw';
  else {
    throw new DataFormatError(
      `fmt chunk: unsupported encoding (format code ${code}, ${bits} bits); expected PCM 8-32 bit, float 32/64, A-law or mu-law`,
      { file },
    );
  }
  const bytesPerFrame = ch * Math.ceil(bits / 8);
  if (fmt.blockAlign !== bytesPerFrame) {
    throw new DataFormatError(
      `fmt chunk: block align ${fmt.blockAlign} does not match ${ch} channels of ${bits} bits (${bytesPerFrame})`,
      { file },
    );
  }
  if (!data || !(data.samples instanceof Uint8Array))
    throw new DataFormatError('no data chunk', { file, reason: 'truncated' });
  if (data.samples.length < data.chunkSize) {
    throw new DataFormatError(
      `truncated: the data chunk declares ${data.chunkSize} bytes but the file holds ${data.samples.length}`,
      { file, reason: 'truncated' },
    );
  }
  const frames = Math.floor(data.samples.length / bytesPerFrame);
  if (frames === 0) return { channels: Array.from({ length: ch }, () => new Float32Array(0)), sampleRate, bitDepth };
  if (kind === 'alaw') wav.fromALaw('16');
  else if (kind === 'mulaw') wav.fromMuLaw('16');
  let raw: Float64Array | Float64Array[];
  try {
    raw = wav.getSamples(false, Float64Array) as Float64Array | Float64Array[];
  } catch (err) {
    throw new DataFormatError(`undecodable samples: ${(err as Error).message}`, { file, cause: err });
  }
  const list = ch === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const decodedBits = kind === 'alaw' || kind === 'mulaw' ? 16 : bits;
  const channels = list.map((c) => {
    const out = new Float32Array(frames);
    if (kind === 'float') {
      for (let i = 0; i < frames; i++) {
        const v = c[i]!;
        // NaN or infinity in a float WAV would poison every gradient downstream.
        if (!Number.isFinite(v) || Math.abs(v) > 3.4e38) {
          throw new DataFormatError(`non-finite float sample ${v} at frame ${i}`, { file });
        }
        out[i] = v;
      }
    } else if (kind === 'uint8') for (let i = 0; i < frames; i++) out[i] = (c[i]! - 128) / 128;
    else {
      const scale = 2 ** (decodedBits - 1);
      for (let i = 0; i < frames; i++) out[i] = c[i]! / scale;
    }
    return out;
  });
  return { channels, sampleRate, bitDepth };
}

/** The format code, looking through WAVE_FORMAT_EXTENSIBLE (0xFFFE) to its sub-format GUID. */
function formatCode(fmt: FmtChunk, wav: InstanceType<typeof WaveFile>): number {
  if (fmt.audioFormat !== 0xfffe) return fmt.audioFormat;
  const sub = (wav.fmt as { subformat?: number[] }).subformat;
  // The GUID's first 32-bit word is the plain format code (1 PCM, 3 float).
  return Array.isArray(sub) && sub.length > 0 ? sub[0]! : 0xfffe;
}

/** Mean of the channels, `[frames]`. */
export function mixdown(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i]! += c[i]!;
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i]! *= k;
  return out;
}

/**
 * Decodes WAV bytes to a mono clip at `options.sampleRate` (default 16 kHz): channel mean,
 * then the windowed-sinc resampler of resample.ts.
 * @throws DataFormatError naming `file`.
 */
export function decodeWavMono(bytes: Uint8Array, file: string, options: ReadWavOptions = {}): MonoClip {
  const d = decodeWav(bytes, file);
  const target = options.sampleRate ?? 16000;
  const mono = mixdown(d.channels);
  const rate = target > 0 ? target : d.sampleRate;
  const samples = rate === d.sampleRate ? mono : resample(mono, d.sampleRate, rate);
  return {
    samples,
    sampleRate: rate,
    source: { sampleRate: d.sampleRate, channels: d.channels.length, bitDepth: d.bitDepth },
  };
}
