/** Small image and sound files for paired-folder tests: each differs with its number. */
import sharp from 'sharp';
import { wavBytes } from '../../../audio/src/test-support/fixtures.js';

/** A 12x12 grey PNG: a bar whose position depends on `i` (so images differ). */
export function png(i: number): Promise<Buffer> {
  const pixels = Buffer.alloc(12 * 12);
  for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++) pixels[y * 12 + x] = (x + i) % 6 < 2 ? 230 : 20;
  return sharp(pixels, { raw: { width: 12, height: 12, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** A 0.25 s tone at 4 kHz whose pitch depends on `i`. */
export function wav(i: number): Uint8Array {
  const n = 1000;
  const tone = Array.from({ length: n }, (_, t) =>
    Math.round(8000 * Math.sin((2 * Math.PI * (200 + 60 * i) * t) / 4000)),
  );
  return wavBytes([tone], 4000, '16');
}

/** `n` image + sound pairs (`p00.png` + `p00.wav`, ...), as `writeFolder` takes them. */
export async function soundPairFiles(n: number): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++) {
    const name = `p${String(i).padStart(2, '0')}`;
    files[`${name}.png`] = await png(i);
    files[`${name}.wav`] = wav(i);
  }
  return files;
}
