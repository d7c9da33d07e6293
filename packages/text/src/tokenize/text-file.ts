/**
 * Reading and writing a tokenizer's JSON file (`BpeTokenizer.save` / `load`): Node's file system.
 * Reached through the package import `#text-file`, whose `browser` condition resolves to
 * `text-file.browser.ts`, so the tokenizer class bundles for a browser.
 */
import { readFile, writeFile } from 'node:fs/promises';

/** The UTF-8 text of `path`. */
export function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Writes `text` to `path` as UTF-8. */
export function writeTextFile(path: string, text: string): Promise<void> {
  return writeFile(path, text);
}
