/**
 * The header of a WAV file, read by walking its RIFF chunks with small positioned reads, so a
 * recording of hours is located without reading its samples: the `fmt ` fields and where the
 * `data` chunk's bytes start and end. RIFF and RF64 (the `ds64` chunk's 64-bit sizes, for files
 * above 4 GiB), little-endian; integer PCM 8-32 bit and float 32/64 (also behind
 * WAVE_FORMAT_EXTENSIBLE). The whole-file decoder (wav.ts, through `wavefile`) reads more
 * encodings but needs the file in memory; this is the part that crops by offset need, written
 * here because no maintained WAV library parses a header from a file descriptor.
 */
import { fstatSync, readSync } from 'node:fs';
import { DataFormatError } from '@autodidact/core/reader';

/** Where the samples of a WAV file are and how they are encoded. */
export interface WavHeader {
  /** 1 integer PCM, 3 IEEE float. */
  readonly format: 1 | 3;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Bytes per frame (all channels of one instant). */
  readonly blockAlign: number;
  /** Byte offset of the first sample. */
  readonly dataOffset: number;
  /** Whole frames in the data chunk. */
  readonly frames: number;
}

const MAX_CHANNELS = 64;
/** Chunks walked before giving up on finding `data` (a guard against a crafted endless chain). */
const MAX_CHUNKS = 4096;

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * Reads the header of the WAV file open as `fd` (named `file` in errors).
 * @throws DataFormatError (with its reason: empty, truncated, wrong format, corrupt) naming the file.
 */
export function readWavHeader(fd: number, file: string): WavHeader {
  const size = fstatSync(fd).size;
  if (size === 0) throw new DataFormatError('empty file (0 bytes)', { file, reason: 'empty' });
  const head = readAt(fd, 12, 0);
  const magic = head.toString('latin1', 0, 4);
  if (head.length < 12) {
    const riff = 'RIFF'.startsWith(magic) || 'RF64'.startsWith(magic);
    throw new DataFormatError(`not a WAV file (${size} bytes)`, { file, reason: riff ? 'truncated' : 'wrong format' });
  }
  if (!['RIFF', 'RF64'].includes(magic) || head.toString('latin1', 8, 12) !== 'WAVE') {
    throw new DataFormatError(
      `not a WAV file readable by offset (expected a little-endian RIFF/RF64 'WAVE' header, found '${magic}')`,
      { file, reason: 'wrong format' },
    );
  }
  let pos = 12;
  let fmt: Omit<WavHeader, 'dataOffset' | 'frames'> | undefined;
  let ds64Data: number | undefined;
  for (let n = 0; n < MAX_CHUNKS; n++) {
    const h = readAt(fd, 8, pos);
    if (h.length < 8) {
      throw new DataFormatError(fmt ? 'no data chunk' : 'no fmt chunk', { file, reason: 'truncated' });
    }
    const id = h.toString('latin1', 0, 4);
    const chunkSize = h.readUInt32LE(4);
    const body = pos + 8;
    if (id === 'ds64') {
      const d = readAt(fd, 24, body);
      if (d.length < 24) throw new DataFormatError('ds64 chunk cut short', { file, reason: 'truncated' });
      ds64Data = Number(d.readBigUInt64LE(8));
    } else if (id === 'fmt ') {
      const f = readAt(fd, Math.min(chunkSize, 40), body);
      if (f.length < 16) throw new DataFormatError('fmt chunk cut short', { file, reason: 'truncated' });
      let code = f.readUInt16LE(0);
      // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID's first word is the plain format code.
      if (code === 0xfffe && f.length >= 26) code = f.readUInt16LE(24);
      const channels = f.readUInt16LE(2);
      const sampleRate = f.readUInt32LE(4);
      const blockAlign = f.readUInt16LE(12);
      const bits = f.readUInt16LE(14);
      const ok =
        (code === 1 && bits >= 8 && bits <= 32 && bits % 8 === 0) || (code === 3 && (bits === 32 || bits === 64));
      if (!ok) {
        throw new DataFormatError(
          `fmt chunk: encoding not readable by offset (format code ${code}, ${bits} bits); expected PCM 8/16/24/32 bit or float 32/64`,
          { file, reason: 'wrong format' },
        );
      }
      if (channels < 1 || channels > MAX_CHANNELS) {
        throw new DataFormatError(`fmt chunk: expected 1-${MAX_CHANNELS} channels, got ${channels}`, { file });
      }
      if (sampleRate < 1) throw new DataFormatError('fmt chunk: sample rate 0', { file });
      if (blockAlign !== (channels * bits) / 8) {
        throw new DataFormatError(
          `fmt chunk: block align ${blockAlign} does not match ${channels} channels of ${bits} bits`,
          { file },
        );
      }
      fmt = { format: code as 1 | 3, channels, sampleRate, bitsPerSample: bits, blockAlign };
    } else if (id === 'data') {
      if (!fmt) throw new DataFormatError('data chunk before the fmt chunk', { file });
      const declared = chunkSize === 0xffffffff && ds64Data !== undefined ? ds64Data : chunkSize;
      const held = size - body;
      if (declared > held) {
        throw new DataFormatError(`truncated: the data chunk declares ${declared} bytes but the file holds ${held}`, {
          file,
          reason: 'truncated',
        });
      }
      const frames = Math.floor(declared / fmt.blockAlign);
      if (frames === 0) {
        throw new DataFormatError('no audio samples (a WAV header with an empty data chunk)', {
          file,
          reason: 'empty',
        });
      }
      return { ...fmt, dataOffset: body, frames };
    }
    pos = body + chunkSize + (chunkSize & 1); // chunks are padded to an even length
    if (pos >= size) {
      throw new DataFormatError(fmt ? 'no data chunk' : 'no fmt chunk', { file, reason: 'truncated' });
    }
  }
  throw new DataFormatError(`no data chunk in the first ${MAX_CHUNKS} chunks`, { file });
}

/**
 * Frames `[start, start + count)` of the data chunk as mono float32: each channel scaled to
 * [-1, 1] as wav.ts does (integer / 2^(bits-1), 8-bit as (v - 128) / 128), then the channels
 * averaged in float32 in channel order, exactly as wav.ts's `mixdown`, so a crop equals the
 * same span of the whole-file decode bit for bit.
 */
export function readMonoFrames(fd: number, file: string, h: WavHeader, start: number, count: number): Float32Array {
  const bytes = readAt(fd, count * h.blockAlign, h.dataOffset + start * h.blockAlign);
  if (bytes.length < count * h.blockAlign) {
    throw new DataFormatError(`read ${bytes.length} of ${count * h.blockAlign} bytes at frame ${start}`, {
      file,
      reason: 'truncated',
    });
  }
  const out = new Float32Array(count);
  const ch = h.channels;
  const width = h.bitsPerSample / 8;
  const scale = 2 ** (h.bitsPerSample - 1);
  const k = 1 / ch; // as mixdown: a double factor, the product rounded to float32
  const one = (o: number): number => {
    if (h.format === 3) {
      const v = width === 4 ? bytes.readFloatLE(o) : bytes.readDoubleLE(o);
      if (!Number.isFinite(v) || Math.abs(v) > 3.4e38) {
        throw new DataFormatError(`non-finite float sample ${v} at frame ${start + Math.floor(o / h.blockAlign)}`, {
          file,
        });
      }
      return Math.fround(v);
    }
    if (width === 1) return Math.fround((bytes[o]! - 128) / 128);
    if (width === 2) return Math.fround(bytes.readInt16LE(o) / scale);
    return Math.fround(bytes.readIntLE(o, width) / scale);
  };
  for (let t = 0; t < count; t++) {
    const base = t * h.blockAlign;
    if (ch === 1) {
      out[t] = one(base);
      continue;
    }
    let acc = 0;
    for (let c = 0; c < ch; c++) acc = Math.fround(acc + one(base + c * width));
    out[t] = Math.fround(acc * k);
  }
  return out;
}
