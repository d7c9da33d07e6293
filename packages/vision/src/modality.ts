import { existsSync, statSync } from 'node:fs';
import {
  type AnyDataset,
  badFilesFor,
  ConfigError,
  DataFormatError,
  type EncoderConfig,
  type LoaderOptionSpec,
  type LoadOptions,
  loadLog,
  type Modality,
  defineModality,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { createEncoder } from './encoders/registry.js';
import { FittedImageDataset } from './io/fit-images.js';
import { loadIdx, looksLikeIdx } from './io/idx.js';
import { isImageFile } from './io/image-file.js';
import { listImageFolder, loadImageFolder, probeImage } from './io/image-folder.js';
import { openImageFolder } from './io/open-image-folder.js';
import { methods } from './methods/registry.js';

/** Folder images larger than this (either side) are fitted to `FOLDER_DEFAULT_SIZE`: the encoders are built for 28-96 px. */
export const FOLDER_MAX_SIDE = 96;
/** The size folder images are fitted to when the first image is larger than `FOLDER_MAX_SIDE`. */
export const FOLDER_DEFAULT_SIZE: [number, number] = [64, 64];

/** The vision loader's options: `--image-size` and `--channels` on the CLI. */
export const VISION_LOADER_OPTIONS: readonly LoaderOptionSpec[] = [
  {
    name: 'imageSize',
    type: 'integer',
    min: 8,
    max: 1024,
    placeholder: 'px',
    description: 'image side: the shorter side is scaled to it and the centre cropped to a square',
    defaultText: `a trained encoder's size; else the first image's if no side exceeds ${FOLDER_MAX_SIDE} px, else ${FOLDER_DEFAULT_SIZE[0]}`,
  },
  {
    name: 'channels',
    type: 'integer',
    choices: [1, 3],
    description: 'grey (1) or colour (3); grey is repeated to colour, colour turned to grey by luma',
    defaultText: "a trained encoder's; else the first image's (1 if grey, else 3)",
  },
];

/** A shape `[height, width, channels]`. */
type ImageShape = [number, number, 1 | 3];

/**
 * Size and channels for a folder: the first image's size when it fits 28-96 px encoders, else
 * 64x64 (centre crop after scaling the shorter side); 1 channel when the first image is grey.
 */
export async function folderImageShape(root: string): Promise<{ size: [number, number]; channels: 1 | 3 }> {
  const first = listImageFolder(root, 'none').files.find((f) => isImageFile(f));
  if (!first) throw new DataFormatError('no PNG, JPEG, WebP, AVIF or TIFF images found', { file: root });
  const p = await probeImage(first);
  return { size: defaultFolderSize(p.height, p.width), channels: p.channels };
}

function defaultFolderSize(height: number, width: number): [number, number] {
  return Math.max(height, width) <= FOLDER_MAX_SIDE ? [height, width] : [...FOLDER_DEFAULT_SIZE];
}

/** The image shape an encoder takes, when it is a vision encoder of images. */
function encoderImageShape(encoder: EncoderConfig | undefined): ImageShape | undefined {
  const s = encoder?.inputShape;
  if (encoder?.modality !== 'vision' || !s || s.length !== 3) return undefined;
  return [s[0]!, s[1]!, s[2] === 1 ? 1 : 3];
}

const describe = (s: readonly number[]) => `${s[0]}x${s[1]} ${s[2] === 1 ? 'grey' : 'colour'}`;

/**
 * The shape to load at: `--image-size`/`--channels` when given (and they must then fit the
 * encoder), else the encoder's, else the data's own (`native`, with the folder size rule).
 */
function targetShape(o: LoadOptions, native: ImageShape, folder: boolean): ImageShape {
  const imageSize = o.loader?.imageSize as number | undefined;
  const channels = o.loader?.channels as 1 | 3 | undefined;
  const enc = encoderImageShape(o.encoder);
  if (enc && imageSize !== undefined && (enc[0] !== imageSize || enc[1] !== imageSize)) {
    throw new ConfigError(
      `the encoder takes ${enc[0]}x${enc[1]}x${enc[2]} images; --image-size ${imageSize} does not fit it (leave the flag out to use the encoder's size)`,
      { field: '--image-size' },
    );
  }
  if (enc && channels !== undefined && enc[2] !== channels) {
    throw new ConfigError(
      `the encoder takes ${enc[0]}x${enc[1]}x${enc[2]} images; --channels ${channels} does not fit it (leave the flag out to use the encoder's channels)`,
      { field: '--channels' },
    );
  }
  const size: [number, number] =
    imageSize !== undefined
      ? [imageSize, imageSize]
      : enc
        ? [enc[0], enc[1]]
        : folder
          ? defaultFolderSize(native[0], native[1])
          : [native[0], native[1]];
  return [size[0], size[1], channels ?? enc?.[2] ?? native[2]];
}

/** The one-line note when data is converted to fit an encoder: what the data is, what the encoder takes. */
function fitNote(
  path: string,
  native: ImageShape,
  target: ImageShape,
  o: LoadOptions,
  folder: boolean,
): string | undefined {
  if (!encoderImageShape(o.encoder)) return undefined;
  const resized = native[0] !== target[0] || native[1] !== target[1];
  const converted = native[2] !== target[2];
  if (!resized && !converted) return undefined;
  const what = [
    resized ? `resized to ${target[0]}x${target[1]} (shorter side scaled, centre cropped)` : '',
    converted ? (native[2] === 1 ? 'grey repeated to 3 channels' : 'colour turned to grey (luma)') : '',
  ].filter((x) => x !== '');
  return (
    `${path}: ${folder ? 'images (the first is ' : ''}${describe(native)}${folder ? ')' : ' images'}; ` +
    `the encoder takes ${target[0]}x${target[1]}x${target[2]}: ${what.join(' and ')}`
  );
}

/** The first image of a listing whose header reads, without reporting the ones that do not (decoding will). */
async function firstReadableShape(files: readonly string[]): Promise<ImageShape | undefined> {
  for (const f of files) {
    if (!isImageFile(f)) continue;
    try {
      const p = await probeImage(f);
      return [p.height, p.width, p.channels];
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
    }
  }
  return undefined;
}

async function load(
  path: string,
  options: LoadOptions,
  labelled: boolean,
  field: string,
): Promise<AnyDataset<tf.Tensor>> {
  if (!existsSync(path)) throw new DataFormatError('no such file or folder', { file: path });
  const log = loadLog(options);
  if (statSync(path).isDirectory()) {
    const bad = badFilesFor(options, 'image files');
    const listing = listImageFolder(path, labelled ? 'required' : 'auto', { badFiles: bad, log });
    const native = await firstReadableShape(listing.files);
    const target = native ? targetShape(options, native, true) : undefined;
    if (!target) {
      // No header reads: decoding every file reports each one (or the empty folder) as it always has.
      await loadImageFolder(path, { listing, labels: labelled ? 'required' : 'auto', badFiles: bad });
      throw new DataFormatError('no readable PNG, JPEG, WebP, AVIF or TIFF image found', { file: path });
    }
    // Indexed once, then in memory or streamed by decoded size (--data-mode forces either).
    const ds = await openImageFolder(path, {
      listing,
      size: [target[0], target[1]],
      channels: target[2],
      limit: options.limit,
      dataMode: options.dataMode,
      badFiles: bad,
      log,
    });
    bad.report(path);
    const note = native ? fitNote(path, native, target, options, true) : undefined;
    if (note) log(note);
    return ds;
  }
  if (!looksLikeIdx(path)) {
    throw new ConfigError(
      `${path}: expected an ImageFolder (a folder of PNG/JPEG/WebP/AVIF/TIFF images, one subfolder per class for labels) or an IDX images file (*-idx3-ubyte[.gz])`,
      { field },
    );
  }
  const ds = await loadIdx(path, { limit: options.limit, requireLabels: labelled });
  const native = ds.sampleShape as ImageShape;
  const target = targetShape(options, native, false);
  if (native[0] === target[0] && native[1] === target[1] && native[2] === target[2]) return ds;
  const note = fitNote(path, native, target, options, false);
  if (note) log(note);
  return new FittedImageDataset(ds, [target[0], target[1]], target[2]);
}

/** The vision modality: what `autodidact <command> vision` uses. */
export const modality: Modality<tf.Tensor> = defineModality({
  name: 'vision',
  description: 'images: ImageFolder (PNG/JPEG/WebP/AVIF/TIFF, one subfolder per class) or IDX (MNIST, Fashion-MNIST)',
  methods,
  loaderOptions: VISION_LOADER_OPTIONS,
  load: (path: string, options: LoadOptions, labelled: boolean) =>
    load(path, options, labelled, labelled ? 'data' : '--data'),
  createEncoder,
  defaultData: {
    set: 'mnist',
    train: 'train-images-idx3-ubyte',
    test: 't10k-images-idx3-ubyte',
    description: 'MNIST (60,000 training and 10,000 test digits)',
  },
});
