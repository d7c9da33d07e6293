/** Reading a WAV file from disk (Node); decoding the bytes is `wav.ts`, which also runs in a browser. */
import { readFile } from 'node:fs/promises';
import { checkDataFile, DataFormatError, unreadableFileError } from '@autodidact/core';
import { decodeWavMono, type MonoClip, type ReadWavOptions } from './wav.js';

/**
 * Reads a WAV file to a mono clip at `options.sampleRate` (default 16 kHz). A WAV without a
 * single sample (a header and an empty data chunk) is a bad file, not a clip of silence.
 * @throws DataFormatError naming the file when it is missing, empty, not a WAV, truncated or unsupported.
 */
export async function readWav(path: string, options: ReadWavOptions = {}): Promise<MonoClip> {
  checkDataFile(path); // an empty file or a FIFO is a bad file before any read
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw unreadableFileError(path, err);
  }
  const clip = decodeWavMono(bytes, path, options);
  if (clip.samples.length === 0) {
    throw new DataFormatError('no audio samples (a WAV header with an empty data chunk)', {
      file: path,
      reason: 'empty',
    });
  }
  return clip;
}
