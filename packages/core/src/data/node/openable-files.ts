/**
 * The first checks a loader makes of the files it listed, before reading any: that it found
 * any, and that each opens as a data file (exists, a regular file, readable, not empty; see
 * `openDataFile`). Node-only.
 */
import { closeSync } from 'node:fs';
import { DataFormatError } from '../../errors.js';
import type { BadFiles } from '../../io/bad-files.js';
import { openDataFile } from '../../io/walk-files.js';

/**
 * The files of `files` that open, in their order. Each one that does not is a bad file of the
 * load's policy `bad` (counted and skipped, or with `strict` its error thrown); without a policy
 * its DataFormatError is thrown. Other errors propagate.
 */
export function openableFiles(files: readonly string[], bad?: BadFiles): string[] {
  const good: string[] = [];
  for (const f of files) {
    try {
      closeSync(openDataFile(f));
      good.push(f);
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      if (!bad) throw err;
      bad.consider();
      bad.skip(err);
    }
  }
  return good;
}

/**
 * The error of a load that found no files to read under `root`: the bad-file policy's own when
 * every file it met was bad (`BadFiles.assertAnyRead`, which throws it here), else a
 * DataFormatError naming `root` with `message` (`no .wav files in this folder`).
 */
export function noFilesError(root: string, bad: BadFiles | undefined, message: string): DataFormatError {
  bad?.assertAnyRead(root, 0);
  return new DataFormatError(message, { file: root });
}
