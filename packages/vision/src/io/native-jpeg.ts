/**
 * The JPEG fast path of streamed image folders: `decodeJpegCover` from the native addon's small
 * `autodidact_jpeg` module (packages/backend-native/native/jpeg-cover.cc, libjpeg-turbo with
 * DCT scaling, then PIL's antialiased bilinear resize and a centre crop), when it was built.
 * It declines (returns false) on anything but a plain JPEG, and is absent when the addon did
 * not build; the image-folder reader then decodes with sharp, so this is speed only.
 *
 * Why a decoder of our own next to sharp: libvips spends about 1.5 ms of CPU per small JPEG
 * setting up its pipeline, against tens of microseconds of actual decoding; PyTorch's
 * DataLoader with PIL spends about 0.4 ms (`npm run bench:data`, README "Streaming").
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Decodes a JPEG, scales its shorter side to `[height, width]`, crops the centre and writes
 * `byte / 255` values `[height, width, channels]` into `out`; false when it declines.
 */
export type DecodeJpegCover = (
  bytes: Uint8Array,
  height: number,
  width: number,
  channels: 1 | 3,
  out: Float32Array,
) => boolean;

let loaded: DecodeJpegCover | null | undefined;

/** The native decoder, or undefined when the addon is not built (never throws). */
export function nativeJpegCover(): DecodeJpegCover | undefined {
  if (loaded === undefined) {
    loaded = null;
    try {
      const require = createRequire(import.meta.url);
      const root = dirname(require.resolve('@autodidact/backend-native/package.json'));
      const file = join(root, 'build', 'Release', 'autodidact_jpeg.node');
      if (existsSync(file)) {
        const addon = require(file) as { decodeJpegCover?: DecodeJpegCover };
        if (typeof addon.decodeJpegCover === 'function') loaded = addon.decodeJpegCover;
      }
    } catch {
      loaded = null; // not installed or not built: sharp decodes everything
    }
  }
  return loaded ?? undefined;
}
