/**
 * The one bad-file policy every modality's loader follows, as its tests check it: a load skips
 * each bad file with one warning naming it and ends its log with a summary line, notes a folder
 * loop instead of following it, and under `strict` stops at the first bad file with a one-line
 * `DataFormatError` naming it. The files themselves: unreadable-files.ts and each modality's own.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { DataFormatError, type LoadOptions } from '../index.js';

/** A load log that appends to `lines`. */
export const logTo =
  (lines: string[]): LoadOptions['log'] =>
  (l) =>
    lines.push(l);

/**
 * Expects a load log under the skip policy: `summary` as its last line, one warning for each of
 * `skipped` (paths below `root`), and the folder link `loop` (below `root`) noted as a loop.
 */
export function expectSkippedOnce(
  lines: readonly string[],
  root: string,
  expected: { summary: string; skipped: readonly string[]; loop: string },
): void {
  expect(lines.at(-1)).toBe(expected.summary);
  for (const f of expected.skipped) {
    expect(
      lines.filter((l) => l.startsWith(`skipped ${join(root, f)}: `)),
      f,
    ).toHaveLength(1);
  }
  expect(lines.some((l) => l.includes(`${expected.loop}: a symbolic link back to`))).toBe(true);
}

/** Expects a strict load to fail with a one-line `DataFormatError` whose message matches `message`. */
export async function expectStrictStop(load: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await load.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataFormatError);
  expect((err as DataFormatError).message).toMatch(message);
  expect((err as DataFormatError).message).not.toContain('\n');
}

/** Expects `call` to throw a `DataFormatError` whose message starts with `file: ` and matches `message`. */
export function expectFormatError(call: () => unknown, file: string, message: RegExp): void {
  let err: unknown;
  try {
    call();
  } catch (e) {
    err = e;
  }
  expect(err, String(message)).toBeInstanceOf(DataFormatError);
  expect((err as Error).message.startsWith(`${file}: `), (err as Error).message).toBe(true);
  expect((err as Error).message).toMatch(message);
}
