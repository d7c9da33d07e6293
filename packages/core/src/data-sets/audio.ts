/**
 * Audio sets: spoken digits synthesised with Debian's espeak-ng (GPL-3 tool; its output is
 * unrestricted) across English accents, voice variants, speeds and pitches (shared DATASETS.md).
 * Layout: <set>/<digit-word>/<accent>_<variant>_s<speed>_p<pitch>.wav, mono 16-bit 22,050 Hz,
 * so loaders get labels from the folder and probes can hold voices (accent_variant) out.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSetRecipe } from './recipe.js';

const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Accents whose clips form the held-out probe test split (the probe never hears these voices). */
const HELD_OUT_ACCENTS = ['en-gb-scotland', 'en-029'];
const ACCENTS = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-gb-x-rp',
  'en-gb-x-gbclan',
  'en-gb-x-gbcwmd',
  'en-029',
  'en-us-nyc',
];

/**
 * Synthesises every (word, accent, variant, speed, pitch) clip into dest with parallel espeak-ng
 * calls. Synchronous; byte-identical output for the same arguments.
 */
function synthesise(dest: string, work: string, grid: { variants: string[]; speeds: number[]; pitches: number[] }) {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('espeak-ng is not installed: apt-get install -y espeak-ng (listed in tools/apt/audio.txt)');
  }
  const jobs: string[] = [];
  for (const word of DIGIT_WORDS) {
    mkdirSync(join(dest, word), { recursive: true });
    for (const accent of ACCENTS)
      for (const variant of grid.variants)
        for (const speed of grid.speeds)
          for (const pitch of grid.pitches) {
            const file = join(dest, word, `${accent}_${variant}_s${speed}_p${pitch}.wav`);
            jobs.push([`${accent}+${variant}`, String(speed), String(pitch), file, word].join('\t'));
          }
  }
  const list = join(work, 'jobs.tsv');
  writeFileSync(list, `${jobs.join('\n')}\n`);
  // One espeak-ng process per clip, four at a time (process start-up dominates).
  execFileSync(
    'sh',
    [
      '-c',
      `tr '\\t' '\\n' < "$0" | xargs -d '\\n' -n 5 -P 4 sh -c 'espeak-ng -v "$0" -s "$1" -p "$2" -w "$3" "$4"'`,
      list,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let count = 0;
  for (const word of DIGIT_WORDS) count += readdirSync(join(dest, word)).length;
  if (count !== jobs.length) throw new Error(`espeak-ng wrote ${count} of ${jobs.length} clips`);
  writeSplits(dest);
}

/**
 * Hard links under <set>/.splits/{train,test}/<word>/: test holds the HELD_OUT_ACCENTS, train
 * the other accents, so a probe is scored on voices it never saw. The folder is hidden, and
 * the WAV folder loader skips hidden entries, so the set's root still lists each clip once.
 */
function writeSplits(dest: string): void {
  for (const word of DIGIT_WORDS) {
    for (const split of ['train', 'test']) mkdirSync(join(dest, '.splits', split, word), { recursive: true });
    for (const f of readdirSync(join(dest, word))) {
      const split = HELD_OUT_ACCENTS.includes(f.split('_')[0]!) ? 'test' : 'train';
      linkSync(join(dest, word, f), join(dest, '.splits', split, word, f));
    }
  }
}

export const audioSets: Record<string, DataSetRecipe> = {
  'spoken-digits': {
    description:
      'spoken digits by espeak-ng: 10 words x 8 accents x 6 voice variants x 2 speeds = 960 WAVs (16-bit, 22,050 Hz)',
    default: true,
    fetch(dest, work) {
      synthesise(dest, work, { variants: ['m1', 'm3', 'm7', 'f1', 'f3', 'f5'], speeds: [140, 200], pitches: [50] });
    },
  },
  'spoken-digits-large': {
    description:
      'spoken digits by espeak-ng: 10 words x 8 accents x 12 variants x 2 speeds x 2 pitches = 3,840 WAVs (16-bit, 22,050 Hz)',
    default: false,
    fetch(dest, work) {
      synthesise(dest, work, {
        variants: ['m1', 'm2', 'm3', 'm4', 'm5', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt'],
        speeds: [140, 200],
        pitches: [35, 65],
      });
    },
  },
};
