/**
 * The library's own training steps, as `autodidact pretrain <modality> --method <m>` runs them:
 * the method built from its registry with the CLI's default options, the Trainer with the
 * method's trainer defaults (optimizer, schedule, clipping, batch size), augmentations and masks
 * drawn inside the step. Data are synthetic batches of the CLI's sample shapes (the work of a
 * step does not depend on the pixel, sample or token values), so the bench runs without the
 * fetched data sets; the PyTorch peers (library_peer.py) draw the same shapes.
 */
import { type Dataset, loadModality, type Method, type Modality, Rng, TensorDataset } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';

/** One library step of the speed table. */
export interface LibraryStep {
  /** Row name, also the peer's `--bench` name. */
  name: string;
  /** What the row measures, for the table. */
  title: string;
  modality: 'vision' | 'audio' | 'text' | 'genomics';
  method: string;
  /** Options on top of the method's defaults (the CLI's `--option k=v`). */
  options: Record<string, unknown>;
  /** Batch size of the full table (undefined: the method's CLI default). */
  batchSize?: number;
  /** Batch size of `--tiny`. */
  tinyBatchSize: number;
  /** One sample's shape. */
  sampleShape: number[];
}

/** Token-id layout of the synthetic text batches: `<pad>` 0, `<mask>` 1, `<eos>` 2, vocabulary of the CLI's BPE (4096). */
export const TEXT_IDS = { vocabSize: 4096, padId: 0, maskId: 1, eosId: 2 } as const;

/** The rows of the library-step table, in table order. */
export const LIBRARY_STEPS: readonly LibraryStep[] = [
  {
    name: 'simclr',
    title: 'SimCLR, conv-small width 32, MNIST 28x28x1',
    modality: 'vision',
    method: 'simclr',
    options: {},
    tinyBatchSize: 32,
    sampleShape: [28, 28, 1],
  },
  {
    name: 'simclr-w16',
    title: 'SimCLR, conv-small width 16, MNIST 28x28x1',
    modality: 'vision',
    method: 'simclr',
    options: { width: 16 },
    tinyBatchSize: 32,
    sampleShape: [28, 28, 1],
  },
  {
    name: 'byol',
    title: 'BYOL, conv-small width 32, MNIST 28x28x1',
    modality: 'vision',
    method: 'byol',
    options: {},
    tinyBatchSize: 32,
    sampleShape: [28, 28, 1],
  },
  {
    name: 'mae',
    title: 'masked autoencoder, conv-small width 16 + conv decoder, MNIST 28x28x1',
    modality: 'vision',
    method: 'mae',
    // The width its row was measured at (the CLI default is 32 since it was put to validation).
    options: { width: 16 },
    tinyBatchSize: 32,
    sampleShape: [28, 28, 1],
  },
  {
    name: 'simclr-resnet18',
    title: 'SimCLR, ResNet-18 width 64 (small stem), 32x32x3',
    modality: 'vision',
    method: 'simclr',
    options: { encoder: 'resnet18', width: 64 },
    batchSize: 32,
    tinyBatchSize: 4,
    sampleShape: [32, 32, 3],
  },
  {
    name: 'wav2vec2',
    title: 'wav2vec 2.0, 1 s clips at 16 kHz (0.6 s crops)',
    modality: 'audio',
    method: 'wav2vec2',
    options: {},
    tinyBatchSize: 4,
    sampleShape: [16000],
  },
  {
    name: 'mlm',
    title: 'masked LM, 2 blocks d 128, 128 tokens, vocabulary 4096',
    modality: 'text',
    method: 'mlm',
    options: { ...TEXT_IDS },
    tinyBatchSize: 4,
    sampleShape: [128],
  },
  {
    name: 'clm',
    title: 'causal LM, 2 blocks d 128, 128 tokens, vocabulary 4096',
    modality: 'text',
    method: 'clm',
    options: { ...TEXT_IDS },
    tinyBatchSize: 4,
    sampleShape: [128],
  },
  {
    name: 'self-genomenet',
    title: 'Self-GenomeNet, conv + GRU, 1,024-base windows',
    modality: 'genomics',
    method: 'self-genomenet',
    options: {},
    tinyBatchSize: 8,
    sampleShape: [1024, 4],
  },
];

/** A synthetic dataset of `size` samples of the step's shape, deterministic in `seed`. */
export async function syntheticData(step: LibraryStep, size: number, seed = 7): Promise<Dataset<tf.Tensor>> {
  const rng = new Rng(seed);
  const shape = step.sampleShape;
  const per = shape.reduce((a, b) => a * b, 1);
  switch (step.modality) {
    case 'vision': {
      const { ImageDataset } = await import('@autodidact/vision');
      const pixels = new Uint8Array(size * per);
      for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256);
      return new ImageDataset(pixels, shape as [number, number, number]);
    }
    case 'audio': {
      const v = new Float32Array(size * per);
      for (let i = 0; i < v.length; i++) v[i] = 0.1 * rng.normal();
      return new TensorDataset(tf.tensor2d(v, [size, per]));
    }
    case 'text': {
      const v = new Int32Array(size * per);
      for (let i = 0; i < v.length; i++) v[i] = 3 + rng.int(TEXT_IDS.vocabSize - 3);
      return new TensorDataset(tf.tensor2d(v, [size, per], 'int32'));
    }
    case 'genomics': {
      const length = shape[0]!;
      const v = new Float32Array(size * length * 4);
      for (let i = 0; i < size * length; i++) v[i * 4 + rng.int(4)] = 1;
      return new TensorDataset(tf.tensor3d(v, [size, length, 4]));
    }
  }
}

/** The method of a step, built as the CLI builds it (registry defaults, then the step's options). */
export async function buildMethod(
  step: LibraryStep,
  seed = 0,
): Promise<{ method: Method<tf.Tensor>; trainerDefaults: Record<string, unknown> }> {
  const modality = (await loadModality(step.modality)) as Modality<tf.Tensor>;
  const spec = modality.methods.get(step.method);
  const method = spec.create({
    sampleShape: step.sampleShape,
    options: { ...spec.defaults, ...step.options },
    rng: new Rng(seed).fork(),
  });
  return { method, trainerDefaults: spec.trainerDefaults as Record<string, unknown> };
}

/** The batch size a step runs at. */
export function batchSizeOf(step: LibraryStep, trainerDefaults: Record<string, unknown>, tiny: boolean): number {
  if (tiny) return step.tinyBatchSize;
  return step.batchSize ?? (trainerDefaults.batchSize as number | undefined) ?? 128;
}

/** Looks a step up by name. */
export function libraryStep(name: string): LibraryStep {
  const s = LIBRARY_STEPS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown library step ${name}; known: ${LIBRARY_STEPS.map((x) => x.name).join(', ')}`);
  return s;
}
