import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '@autodidact/core';

/** The folder tools/fetch-data.mjs fills (AUTODIDACT_DATA_DIR or <repo>/data). */
export const DATA_DIR = env.dataDir
  ? resolve(env.dataDir)
  : resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'data');

/** Path of a fetched set's file (or folder), and whether it is there. */
export function dataPath(set: string, file = ''): { path: string; present: boolean } {
  const path = join(DATA_DIR, set, file);
  const present = existsSync(path);
  if (!present) console.warn(`skipping: ${path} is missing; fetch it with 'node tools/fetch-data.mjs ${set}'`);
  return { path, present };
}
