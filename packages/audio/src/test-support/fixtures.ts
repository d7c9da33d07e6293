/**
 * Test helpers: the numpy reference fixtures of tools/fixtures/audio (written by generate.py
 * there), synthetic WAV bytes, and the fetched spoken-digit set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir } from '@autodidact/core';
import wavefile from 'wavefile';
import type { WavDataset } from '../io/wav-dataset.js';
import { loadWavFolder } from '../io/wav-folder.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..', '..');

/** Reads `tools/fixtures/audio/<name>.json`. */
export function loadAudioFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(repo, 'tools', 'fixtures', 'audio', `${name}.json`), 'utf8')) as T;
}

/** The folder tools/fetch-data.mjs fills (AUTODIDACT_DATA_DIR or <repo>/data). */
export const DATA_DIR = dataDir();

/** The spoken-digit folder, or undefined (tests skip with the fetch command) when it is absent. */
export function spokenDigitsDir(): string | undefined {
  const d = join(DATA_DIR, 'spoken-digits');
  return existsSync(join(d, '.complete')) ? d : undefined;
}

/** Message for tests skipped because the data set is absent. */
export const SPOKEN_DIGITS_MISSING = `spoken-digits not in ${DATA_DIR}: run 'node tools/fetch-data.mjs spoken-digits'`;

/**
 * `count` labelled half-second clips (8,000 samples) of the spoken-digit folder `dir`: every
 * `every`-th file, so all words and several voices are present.
 */
export async function spokenDigitClips(dir: string, count: number, every: number): Promise<WavDataset> {
  const all = await loadWavFolder(dir, { requireLabels: true, clipSamples: 8000 });
  const clips = all.select(Array.from({ length: count }, (_, i) => i * every));
  all.dispose();
  return clips;
}

/** WAV bytes for channels of samples in wavefile's integer/float convention for `bitDepth`. */
export function wavBytes(channels: number[][], sampleRate: number, bitDepth: string): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels.length, sampleRate, bitDepth, channels.length === 1 ? channels[0]! : channels);
  return w.toBuffer();
}
