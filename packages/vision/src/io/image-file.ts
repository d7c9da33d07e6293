/**
 * One image file (PNG, JPEG, WebP, AVIF or TIFF) decoded with sharp (libvips) into interleaved 8-bit pixels
 * `[height, width, channels]`, optionally resized, with 1 (luminance) or 3 (sRGB) channels.
 * sharp decodes on libuv's thread pool, so awaiting many reads at once keeps the JS thread
 * (and the training step running on it) free while files decode.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
// The reader entry (no tfjs): this file also runs inside data workers (image-folder-reader.ts).
import {
  type BadFileReason,
  ConfigError,
  checkDataFile,
  DataFormatError,
  unreadableFileError,
} from '@autodidact/core/reader';
import sharp from 'sharp';

/** File extensions read as images (lower case, with the dot). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff'];

/** Extensions of image formats we recognise but do not read (reported, never silently ignored). */
export const UNSUPPORTED_IMAGE_EXTENSIONS: readonly string[] = [
  '.gif',
  '.bmp',
  '.heic',
  '.heif',
  '.svg',
  '.ppm',
  '.pgm',
];

/** Formats that we accept, as sharp names them (AVIF is sharp's `heif` with AV1 compression; HEIC is not read). */
const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'webp', 'avif', 'tiff']);

/** The formats read, for messages. */
export const READABLE_FORMATS_TEXT = 'PNG, JPEG, WebP, AVIF or TIFF';

/** Pictures larger than this many pixels are refused before decoding (a guard against decompression bombs). */
const MAX_INPUT_PIXELS = 100_000_000;

/** How an image is fitted to a target size (sharp's names). */
export type ImageFit = 'cover' | 'fill' | 'contain';

/** Options of `decodeImage` / `readImage`. */
export interface ReadImageOptions {
  /** Output [height, width]. Default: the file's own size. */
  size?: readonly [number, number];
  /**
   * How to fit a different aspect ratio: `cover` (default) scales the shorter side to the target
   * and crops the centre (torchvision's Resize + CenterCrop); `fill` stretches; `contain` scales
   * the longer side and pads with black.
   */
  fit?: ImageFit;
  /** 1 (luminance: BT.709 weights in linear light, as libvips computes it) or 3 (sRGB). Default 3. Alpha is dropped. */
  channels?: 1 | 3;
}

/** A decoded image: interleaved 8-bit pixels `[height, width, channels]`, row-major. */
export interface DecodedImage {
  /** Pixel values 0-255, length `height * width * channels`. */
  pixels: Uint8Array;
  /** [height, width, channels]. */
  shape: [number, number, number];
  /** The format the file was in (`png`, `jpeg`, `webp`, `avif`, `tiff`). */
  format: string;
}

/** True when the path has one of the readable image extensions. */
export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** True when the path names an image format we recognise but cannot read. */
export function isUnsupportedImageFile(path: string): boolean {
  return UNSUPPORTED_IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** The format named by the first bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF), for messages about files sharp cannot open. */
export function sniffImageFormat(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF') {
    if (String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  }
  if (b.length >= 6 && String.fromCharCode(...b.subarray(0, 3)) === 'GIF') return 'gif';
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a))
  ) {
    return 'tiff';
  }
  if (b.length >= 12 && String.fromCharCode(...b.subarray(4, 12)) === 'ftypavif') return 'avif';
  return undefined;
}

/** Checks the options once, so a bad size is a ConfigError and never blamed on a file. */
export function checkReadImageOptions(options: ReadImageOptions): void {
  const { size, channels, fit } = options;
  if (size !== undefined) {
    if (size.length !== 2 || !size.every((s) => Number.isInteger(s) && s > 0 && s <= 16384)) {
      throw new ConfigError(`expected [height, width] of positive integers, got [${size.join(', ')}]`, {
        field: 'size',
      });
    }
  }
  if (channels !== undefined && channels !== 1 && channels !== 3) {
    throw new ConfigError(`expected 1 or 3, got ${String(channels)}`, { field: 'channels' });
  }
  if (fit !== undefined && !['cover', 'fill', 'contain'].includes(fit)) {
    throw new ConfigError(`expected cover, fill or contain, got ${String(fit)}`, { field: 'fit' });
  }
}

/**
 * Decodes image bytes. `file` is named in every error: corrupt, truncated or unsupported data
 * raise a DataFormatError (never a raw libvips error).
 */
export async function decodeImage(
  bytes: Uint8Array,
  file: string,
  options: ReadImageOptions = {},
): Promise<DecodedImage> {
  checkReadImageOptions(options);
  const channels = options.channels ?? 3;
  let format = sniffImageFormat(bytes);
  try {
    // failOn 'warning' turns libvips' "premature end of JPEG" and similar warnings into errors:
    // a truncated file is corrupt data, not a picture with a grey bottom half.
    const probe = sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS });
    // A format named by its first bytes needs no separate header read (a small image's decode
    // costs little more than that call); anything else is asked of libvips.
    if (!format || !ACCEPTED_FORMATS.has(format)) {
      const meta = await probe.metadata();
      format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : meta.format;
    }
    if (!format || !ACCEPTED_FORMATS.has(format)) {
      throw new DataFormatError(
        `unsupported image format '${format ?? 'unknown'}' (expected ${READABLE_FORMATS_TEXT})`,
        {
          file,
          reason: 'wrong format',
        },
      );
    }
    let img = probe.rotate(); // honour EXIF orientation, as viewers do
    if (options.size) {
      const [height, width] = options.size;
      img = img.resize({
        width,
        height,
        fit: options.fit ?? 'cover',
        position: 'centre',
        background: { r: 0, g: 0, b: 0, alpha: 1 },
      });
    }
    img = img.removeAlpha();
    img = channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) {
      throw new DataFormatError(`decoded to ${info.channels} channels, expected ${channels}`, { file });
    }
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      shape: [info.height, info.width, info.channels],
      format,
    };
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    const msg = (err as Error).message.split('\n')[0] ?? '';
    throw new DataFormatError(`cannot decode ${format ? `${format} ` : ''}image (${msg})`, {
      file,
      cause: err,
      reason: endsShort(bytes, format) ? 'truncated' : decodeFailureReason(msg, format),
    });
  }
}

/**
 * Whether the bytes stop before the format's end marker: PNG's IEND chunk, JPEG's EOI (FF D9),
 * or the length WebP's RIFF header declares. Read from the bytes, because libvips' error text
 * is shared between concurrent decodes and may name another file's problem.
 */
function endsShort(bytes: Uint8Array, format: string | undefined): boolean {
  const tail = (n: number) => bytes.subarray(Math.max(0, bytes.length - n));
  if (format === 'png') return !Buffer.from(tail(16)).includes('IEND');
  if (format === 'jpeg') {
    const t = tail(64);
    for (let i = 0; i + 1 < t.length; i++) if (t[i] === 0xff && t[i + 1] === 0xd9) return false;
    return true;
  }
  if (format === 'webp' && bytes.length >= 12) {
    const declared = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
    return declared + 8 > bytes.length;
  }
  return false;
}

/**
 * How a failed decode is counted: a file cut short (libvips' "premature end", libpng's
 * "truncated"/"not enough data") is `truncated`, bytes that are no known image format are
 * `wrong format`, anything else `corrupt`.
 */
function decodeFailureReason(message: string, sniffed: string | undefined): BadFileReason {
  if (
    /premature end|truncat|unexpected end|end of (file|stream|data)|not enough (image )?data|short read/i.test(message)
  ) {
    return 'truncated';
  }
  if (!sniffed || /unsupported image format|input buffer contains unsupported/i.test(message)) return 'wrong format';
  return 'corrupt';
}

/** Reads and decodes one image file (see `decodeImage`). */
export async function readImage(file: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  checkReadImageOptions(options);
  checkDataFile(file); // empty files and FIFOs are bad files before any read
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw unreadableFileError(file, err);
  }
  return decodeImage(bytes, file, options);
}

/** Pixels as float32 in [0, 1], same layout `[height, width, channels]`. */
export function toUnitFloat(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
  return out;
}
