import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nativeJpegCover } from './native-jpeg.js';

const decode = nativeJpegCover();

/** A smooth colour picture with some texture, `width` x `height`. */
function picture(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      raw[o] = Math.round(127 + 100 * Math.sin(x / 9) * Math.cos(y / 13));
      raw[o + 1] = Math.round((255 * x) / width);
      raw[o + 2] = Math.round((255 * y) / height) ^ ((x >> 3) & 16);
    }
  }
  return raw;
}

const jpeg = (width: number, height: number, opts: { grey?: boolean; orientation?: number } = {}) => {
  let img = sharp(picture(width, height), { raw: { width, height, channels: 3 } });
  if (opts.grey) img = img.toColourspace('b-w');
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.jpeg({ quality: 95 }).toBuffer();
};

/** Mean absolute difference in grey levels between `a` (byte / 255) and bytes `b`. */
const meanDiff = (a: Float32Array, b: Uint8Array) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! * 255 - b[i]!);
  return d / a.length;
};

describe.skipIf(!decode)('native JPEG cover decode (libjpeg-turbo, the addon built)', () => {
  it('scales the shorter side and crops the centre as sharp does with a bilinear kernel', async () => {
    for (const [w, h, size] of [
      [80, 60, [32, 32]],
      [300, 220, [64, 48]], // shrunk on load (DCT 1/2), then resized
      [50, 90, [24, 24]],
    ] as const) {
      const bytes = await jpeg(w, h);
      const out = new Float32Array(size[0] * size[1] * 3);
      expect(decode!(bytes, size[0], size[1], 3, out)).toBe(true);
      const ref = await sharp(bytes).resize(size[1], size[0], { fit: 'cover', kernel: 'linear' }).raw().toBuffer();
      expect(ref.length).toBe(out.length);
      expect(meanDiff(out, ref), `${w}x${h} -> ${size}`).toBeLessThan(1.5);
      // byte / 255 values, as the sharp path's
      expect(out.every((v) => Number.isInteger(Math.round(v * 255 * 1e3) / 1e3))).toBe(true);
    }
  });

  it('grey JPEGs decode to one channel, and to three equal ones', async () => {
    const bytes = await jpeg(40, 40, { grey: true });
    const one = new Float32Array(16 * 16);
    expect(decode!(bytes, 16, 16, 1, one)).toBe(true);
    const three = new Float32Array(16 * 16 * 3);
    expect(decode!(bytes, 16, 16, 3, three)).toBe(true);
    for (let i = 0; i < one.length; i++) expect(three[3 * i]).toBe(one[i]);
  });

  it('declines what sharp must handle: rotated, truncated, not a JPEG, grey asked of colour', async () => {
    const out3 = new Float32Array(16 * 16 * 3);
    expect(decode!(await jpeg(40, 30, { orientation: 6 }), 16, 16, 3, out3)).toBe(false);
    const whole = await jpeg(64, 64);
    expect(decode!(whole.subarray(0, whole.length >> 1), 16, 16, 3, out3)).toBe(false);
    const png = await sharp(picture(20, 20), { raw: { width: 20, height: 20, channels: 3 } })
      .png()
      .toBuffer();
    expect(decode!(png, 16, 16, 3, out3)).toBe(false);
    expect(decode!(whole, 16, 16, 1, new Float32Array(16 * 16))).toBe(false);
    expect(() => decode!(whole, 16, 16, 3, new Float32Array(5))).toThrow(/output length/);
  });
});
