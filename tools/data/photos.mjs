// Natural photos for image I/O tests and augmentation pictures (see shared DATASETS.md).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { debExtract } from './fetch-helpers.mjs';

const SKIMAGE_DATA = 'usr/lib/python3/dist-packages/skimage/data';

/** Each set: a description, whether `fetch-data` with no argument gets it, and fetch(dest, work). */
export const sets = {
  photos: {
    description:
      "scikit-image's sample pictures (astronaut, chelsea, coffee, rocket, ... PNG/JPEG; BSD-3-Clause per Debian's copyright file, copied as COPYRIGHT), from Debian python3-skimage (extract only)",
    default: true,
    fetch(dest, work) {
      const root = debExtract('python3-skimage', work);
      const src = join(root, SKIMAGE_DATA);
      mkdirSync(dest, { recursive: true });
      // truncated.jpg is kept on purpose: a real broken file for the skip-corrupt tests.
      for (const f of readdirSync(src)) if (/\.(png|jpe?g)$/i.test(f)) copyFileSync(join(src, f), join(dest, f));
      copyFileSync(join(root, 'usr/share/doc/python3-skimage/copyright'), join(dest, 'COPYRIGHT'));
    },
  },
};
