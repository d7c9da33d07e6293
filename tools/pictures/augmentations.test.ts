import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, initBackend } from '@autodidact/core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { GAP, LABEL_WIDTH, renderAugmentations, VIEWS } from './augmentations.js';

const photo = join(env.dataDir ?? join(import.meta.dirname, '..', '..', 'data'), 'photos', 'astronaut.png');
const have = existsSync(photo);
if (!have)
  console.warn(`skipping the augmentation picture test: ${photo} is missing (node tools/fetch-data.mjs photos)`);

describe.skipIf(!have)('augmentation picture', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('writes a decodable PNG of the expected size whose rows all differ', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aug-picture-'));
    try {
      const size = 32;
      const out = join(dir, 'grid.png');
      const r = await renderAugmentations({ photo, out, size, seed: 1 });
      const cell = size + GAP;
      const { data, info } = await sharp(out).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(info.format).toBe('raw');
      expect([info.width, info.height]).toEqual([LABEL_WIDTH + VIEWS * cell, r.rows.length * cell]);
      expect(r.rows.length).toBeGreaterThanOrEqual(12);
      // the view area of each row (label column excluded); a broken augmentation returning its input
      // would repeat the first row (the photo itself)
      const rowPixels = (k: number) => {
        const px: number[] = [];
        for (let y = k * cell; y < k * cell + size; y++) {
          const start = (y * info.width + LABEL_WIDTH) * info.channels;
          px.push(...data.subarray(start, start + VIEWS * cell * info.channels));
        }
        return px;
      };
      const rows = r.rows.map((_, k) => rowPixels(k));
      for (let a = 0; a < rows.length; a++) {
        for (let b = a + 1; b < rows.length; b++) {
          const diff = rows[a]!.reduce((s, v, i) => s + Math.abs(v - rows[b]![i]!), 0) / rows[a]!.length;
          expect(diff, `rows '${r.rows[a]}' and '${r.rows[b]}'`).toBeGreaterThan(1);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
