/**
 * The browser build's `#text-file`: no file system. A tokenizer moves in and out of a browser as
 * JSON (`BpeTokenizer.fromJSON` / `toJSON`); `save` and `load` stop with a one-line ConfigError.
 */
import { ConfigError } from '@autodidact/core';
import type { readTextFile as ReadTextFile, writeTextFile as WriteTextFile } from './text-file.js';

function unavailable(path: string): ConfigError {
  return new ConfigError(
    `cannot read or write '${path}' in a browser build; use BpeTokenizer.fromJSON / toJSON instead`,
    { field: 'path' },
  );
}

/** Throws: a browser build reads no files. */
export const readTextFile: typeof ReadTextFile = async (path) => {
  throw unavailable(path);
};

/** Throws: a browser build writes no files. */
export const writeTextFile: typeof WriteTextFile = async (path) => {
  throw unavailable(path);
};
