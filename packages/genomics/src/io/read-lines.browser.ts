/**
 * The browser build's `#read-lines`: no file system. The sequence formats are parsed from text
 * there (`parseFasta`, `parseFastq`, `parseGenBank`, `parseGff3`); their file readers stop with a
 * one-line ConfigError.
 */
import { ConfigError } from '@autodidact/core';
import type { readLines as ReadLines } from './read-lines.js';

/** Throws: a browser build reads no files. */
export const readLines: typeof ReadLines = (path) => {
  throw new ConfigError(
    `cannot read '${path}' in a browser build; parse the text with parseFasta, parseFastq, parseGenBank or parseGff3`,
    { field: 'path' },
  );
};
