/**
 * What loaders write while they read: notes (an image folder resized to fit an encoder) and the
 * bad-file policy's warnings and summary. The CLI passes its own logger (so `--quiet` and
 * `--log-format json` apply); library callers get stderr unless `AUTODIDACT_QUIET` is set.
 */
import { env } from '../env.js';
import { BadFiles } from './bad-files.js';

/** The line writer of a load: `options.log`, else stderr (`autodidact: <line>`) unless quiet. */
export function loadLog(options: { log?: (line: string) => void } = {}): (line: string) => void {
  if (options.log) return options.log;
  return (line) => {
    if (!env.quiet) process.stderr.write(`autodidact: ${line}\n`);
  };
}

/** The bad-file policy of one load: `--strict` or skip-and-count, writing to the load's log. */
export function badFilesFor(
  options: { strict?: boolean; log?: (line: string) => void } = {},
  unit = 'files',
): BadFiles {
  return new BadFiles({ strict: options.strict, log: loadLog(options), unit });
}
