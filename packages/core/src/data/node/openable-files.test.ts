import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '../../errors.js';
import { BadFiles } from '../../io/bad-files.js';
import { tempDir } from '../../test-support/temp-dirs.js';
import { noFilesError, openableFiles } from './openable-files.js';

describe('the first checks of listed files', () => {
  const work = tempDir('openable-files-');
  let dir: string;
  let good: string;
  let empty: string;
  let missing: string;
  beforeAll(async () => {
    dir = work.path;
    good = join(dir, 'a.txt');
    empty = join(dir, 'b.txt');
    missing = join(dir, 'c.txt');
    await writeFile(good, 'text');
    await writeFile(empty, '');
    await mkdir(join(dir, 'd.txt'));
  });

  it('keeps the files that open, in order; the rest are counted and skipped with their reason', () => {
    const lines: string[] = [];
    const bad = new BadFiles({ log: (l) => lines.push(l) });
    const folder = join(dir, 'd.txt');
    expect(openableFiles([empty, good, missing, folder, good], bad)).toEqual([good, good]);
    expect(bad.total).toBe(3);
    expect(bad.skipped.map((s) => [s.file, s.reason])).toEqual([
      [empty, 'empty'],
      [missing, 'unreadable'],
      [folder, 'unreadable'],
    ]);
    expect(lines[0]).toBe(`skipped ${empty}: empty file (0 bytes)`);
    expect(bad.summary()).toBe('skipped 3 of 3 files (1 empty, 2 unreadable)');
  });

  it('throws the first bad file with a strict policy, or with none', () => {
    const strict = new BadFiles({ strict: true });
    expect(() => openableFiles([good, empty], strict)).toThrow(DataFormatError);
    expect(strict.total).toBe(1);
    expect(strict.skipped).toEqual([]);
    expect(() => openableFiles([good, missing])).toThrow(
      expect.objectContaining({ file: missing, reason: 'unreadable' }),
    );
    expect(openableFiles([good])).toEqual([good]);
  });

  it("noFilesError: the policy's error when every file was bad, else the message naming the folder", () => {
    const none = noFilesError(dir, new BadFiles(), 'no .txt files');
    expect(none).toBeInstanceOf(DataFormatError);
    expect(none).toMatchObject({ file: dir, detail: 'no .txt files' });
    expect(noFilesError(dir, undefined, 'no .txt files')).toMatchObject({ file: dir });
    const bad = new BadFiles();
    expect(openableFiles([empty], bad)).toEqual([]);
    expect(() => noFilesError(dir, bad, 'no .txt files')).toThrow(
      expect.objectContaining({ file: empty, reason: 'empty', detail: 'empty file (0 bytes)' }),
    );
  });
});
