import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '@autodidact/core';

/** The folder tools/fetch-data.mjs fills (AUTODIDACT_DATA_DIR or <repo>/data). */
export const DATA_DIR = dataDir();

/** Path of a fetched set's file (or folder), and whether it is there. */
export function dataPath(set: string, file = ''): { path: string; present: boolean } {
  const path = join(DATA_DIR, set, file);
  const present = existsSync(path);
  if (!present) console.warn(`skipping: ${path} is missing; fetch it with 'node tools/fetch-data.mjs ${set}'`);
  return { path, present };
}
