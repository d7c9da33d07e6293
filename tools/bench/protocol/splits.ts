/**
 * The fixed train / validation / test split of every data set a results bench reports on, in one
 * table (mirrored in docs/protocol.md). Pretraining sees only the training split's inputs;
 * probes are fitted on (a prefix of) the training split; defaults are chosen on validation; the
 * test split is read through HeldOut.report().
 */
import { join } from 'node:path';
import { loadWavFolder, type WavDataset } from '@autodidact/audio';
import { env, type TensorDataset } from '@autodidact/core';
import { loadIdx } from '@autodidact/vision';
import { HeldOut, type Splits } from './held-out.js';

/** One data set's split, in words. */
export interface SplitSpec {
  train: string;
  validation: string;
  test: string;
}

export const SPLITS: Readonly<Record<string, SplitSpec>> = {
  mnist: {
    train: 'training images 0-49,999 (pretraining; probes fit on the first --probe-train of them)',
    validation: 'training images 50,000-59,999 (a shortened file: its last sixth)',
    test: 't10k: the 10,000 test images',
  },
  'fashion-mnist': {
    train: 'training images 0-49,999 (pretraining; probes fit on the first --probe-train of them)',
    validation: 'training images 50,000-59,999',
    test: 't10k: the 10,000 test images',
  },
  'spoken-digits': {
    train: '.splits/train without the en-gb-x-rp voice: 5 accents x all variants (pretraining and probe fit)',
    validation: '.splits/train clips of the en-gb-x-rp accent (a voice unseen in pretraining and probe fit)',
    test: '.splits/test: the 2 held-out accents',
  },
  'clip-digits-audio': {
    train:
      'MNIST training images 0-49,999 (the first trainImages, default 10,000) paired with .splits/train clips without the en-gb-x-rp voice; spectrogram statistics from those clips only',
    validation: 'MNIST training images 50,000-59,999 (the first testImages) and the en-gb-x-rp clips of .splits/train',
    test: 't10k (the first testImages) and .splits/test: the 2 held-out accents',
  },
  'clip-fashion-text': {
    train: 'Fashion-MNIST training images 0-49,999 (the first trainImages) with descriptions from TRAIN_TEMPLATES',
    validation: 'Fashion-MNIST training images 50,000-59,999 with descriptions from VALIDATION_TEMPLATES',
    test: 't10k with descriptions from TEST_TEMPLATES (no template shared with training or validation)',
  },
  'sotu-party': {
    train: 'speeches with index i % 4 in {0, 1} (sorted by file name = year), Democrat vs Republican',
    validation: 'speeches with i % 4 == 2',
    test: "speeches with i % 4 == 3 (sotuPartySplit's held-out quarter)",
  },
  brown: {
    train: 'Brown corpus documents whose number within their genre is not 0 or 1 mod 5 (200-word passages)',
    validation: 'documents with number = 1 mod 5',
    test: 'documents with number = 0 mod 5',
  },
  bacteria: {
    train: 'windows of the training strains (bacteria/train) with even index in their class (probe fit)',
    validation: 'windows of the training strains with odd index in their class (same genomes, other windows)',
    test: 'windows of the held-out strains (bacteria/test, one strain per species)',
  },
  'yeast-coding': {
    train: 'chrII 150 bp windows, first 80% of each class by position',
    validation: 'chrII windows, last 20% of each class by position',
    test: 'chrI 150 bp windows',
  },
  'pseudo-words': {
    train: 'gold seeds: --seeds-per-sense occurrences per sense (drawn per seed)',
    validation: 'the validation pseudo-words (VALIDATION_PAIRS): ablations and defaults are read on them',
    test: 'the reported pseudo-words (TEST_PAIRS), every occurrence off the seeds',
  },
  stereograms: {
    train: 'random-dot stereograms generated per sample from the run seed (StereogramDataset(size, seed))',
    validation: 'a third seed stream: 2,000 stereograms from seed 2,000,003 + seed',
    test: 'the held-out stream: 2,000 stereograms from seed 1,000,003 + seed',
  },
  maze: {
    train:
      'random-exploration transitions of the maze being evaluated; the probe is fitted on its free cells with row + col even',
    validation: 'VALIDATION_MAZE (another 8x8 layout and goal); probe scored on its free cells with row + col odd',
    test: 'DEFAULT_MAZE (the paper-style labyrinth); probe scored on its free cells with row + col odd',
  },
};

/** Data root: AUTODIDACT_DATA_DIR or the repository's data/. */
export function dataRoot(): string {
  return env.dataDir ?? join(import.meta.dirname, '..', '..', '..', 'data');
}

export const MNIST_TRAIN_END = 50_000;

/**
 * MNIST / Fashion-MNIST splits (SPLITS.mnist): `pretrain` is the training split's images;
 * probe `train` its first `probeTrain`; validation and test capped at `evalLimit`.
 */
export async function imageSplits(
  set: 'mnist' | 'fashion-mnist',
  probeTrain: number,
  evalLimit: number,
): Promise<{ pretrain: TensorDataset; splits: Splits<TensorDataset> }> {
  const dir = join(dataRoot(), set);
  const gz = set === 'mnist' ? '' : '.gz';
  const all = await loadIdx(join(dir, `train-images-idx3-ubyte${gz}`));
  // A shortened copy of the file (the docs test's small data) keeps the same proportions.
  const end = all.size >= 60_000 ? MNIST_TRAIN_END : Math.floor((all.size * 5) / 6);
  const pretrain = all.slice(0, end);
  const validation = all.slice(end, Math.min(all.size, end + evalLimit));
  all.dispose();
  const test = await loadIdx(join(dir, `t10k-images-idx3-ubyte${gz}`), { limit: evalLimit });
  return {
    pretrain,
    splits: { train: pretrain.slice(0, Math.min(probeTrain, pretrain.size)), validation, test: new HeldOut(set, test) },
  };
}

/** The spoken-digit accent held out of the training clips as the validation voice. */
export const VALIDATION_ACCENT = 'en-gb-x-rp';

/** Spoken-digit splits (SPLITS['spoken-digits']): the accent is the file name's first field. */
export async function spokenDigitSplits(): Promise<Splits<WavDataset>> {
  const dir = join(dataRoot(), 'spoken-digits', '.splits');
  const clip = { sampleRate: 16000, clipSamples: 16000, requireLabels: true };
  const all = await loadWavFolder(join(dir, 'train'), clip);
  const accent = (f: string) => f.split('/').at(-1)!.split('_')[0]!;
  const idx = (keep: boolean) =>
    [...all.files.keys()].filter((i) => (accent(all.files[i]!) === VALIDATION_ACCENT) === keep);
  const validationIdx = idx(true);
  if (validationIdx.length === 0)
    throw new Error(`no clips of the ${VALIDATION_ACCENT} voice in ${join(dir, 'train')}`);
  const train = all.select(idx(false));
  const validation = all.select(validationIdx);
  all.dispose();
  const test = await loadWavFolder(join(dir, 'test'), clip);
  return { train, validation, test: new HeldOut('spoken-digits', test) };
}
