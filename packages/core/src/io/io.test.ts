/**
 * The shared bad-file policy and folder walker, on a real folder: symbolic links to files and
 * folders followed, a link back to an ancestor and a self-looping link caught, a FIFO and a
 * dangling link reported as unreadable (both unreadable for root too, unlike chmod 000).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { BadFiles } from './bad-files.js';
import { checkDataFile, walkFiles } from './walk-files.js';

const work = mkdtempSync(join(tmpdir(), 'autodidact-io-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bad = (file: string, reason: DataFormatError['reason'], message = 'broken') =>
  new DataFormatError(message, { file, reason });

describe('BadFiles', () => {
  it('skips with one warning per file and one summary line counting each reason', () => {
    const lines: string[] = [];
    const policy = new BadFiles({ log: (l) => lines.push(l) });
    policy.consider(1204);
    policy.skip(bad('a.png', 'empty', 'empty file (0 bytes)'));
    policy.skip(bad('b.png', 'truncated'));
    policy.skip(bad('c.png', 'empty', 'empty file (0 bytes)'));
    expect(lines).toEqual([
      'skipped a.png: empty file (0 bytes)',
      'skipped b.png: broken',
      'skipped c.png: empty file (0 bytes)',
    ]);
    expect(policy.summary()).toBe('skipped 3 of 1,204 files (2 empty, 1 truncated)');
    policy.report('data/photos');
    expect(lines.at(-1)).toBe('data/photos: skipped 3 of 1,204 files (2 empty, 1 truncated)');
    expect(new BadFiles().summary()).toBeUndefined();
  });

  it('strict stops at the first bad file with its own error', () => {
    const lines: string[] = [];
    const policy = new BadFiles({ strict: true, log: (l) => lines.push(l) });
    const err = bad('x.wav', 'wrong format', 'not a WAV file');
    expect(() => policy.skip(err)).toThrow(err);
    expect(lines).toEqual([]);
  });

  it('attempt: a DataFormatError is a skip, any other error propagates', async () => {
    const policy = new BadFiles();
    expect(await policy.attempt(async () => 7)).toBe(7);
    expect(
      await policy.attempt(async () => {
        throw bad('y.fa', 'truncated');
      }),
    ).toBeUndefined();
    await expect(
      policy.attempt(async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow(TypeError);
    expect(policy.summary()).toBe('skipped 1 of 3 files (1 truncated)');
  });

  it('nothing read: the single file is named, or the folder with the counts and the first problem', () => {
    const one = new BadFiles({ unit: 'WAV files' });
    one.consider();
    one.skip(bad('/d/a.wav', 'empty', 'no audio samples'));
    expect(() => one.assertAnyRead('/d', 0)).toThrow('/d/a.wav: no audio samples');
    const two = new BadFiles({ unit: 'WAV files' });
    two.consider(2);
    two.skip(bad('/d/a.wav', 'empty', 'no audio samples'));
    two.skip(bad('/d/b.wav', 'truncated', 'cut'));
    expect(() => two.assertAnyRead('/d', 0)).toThrow(
      '/d: none of the 2 WAV files could be read (1 empty, 1 truncated); first: /d/a.wav: no audio samples',
    );
    expect(() => two.assertAnyRead('/d', 1)).not.toThrow();
  });
});

describe('walkFiles', () => {
  it('follows links to files and folders, leaves out loops, reports unreadable entries', () => {
    const root = join(work, 'tree');
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(join(root, 'a', 'deep'), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(root, 'a', '1.dat'), 'x');
    writeFileSync(join(root, 'a', 'deep', '2.dat'), 'x');
    writeFileSync(join(root, 'a', 'skip.txt'), 'not data');
    writeFileSync(join(root, '.hidden.dat'), 'x');
    writeFileSync(join(elsewhere, '3.dat'), 'x');
    symlinkSync(join(elsewhere, '3.dat'), join(root, 'linked.dat')); // a file link
    symlinkSync(elsewhere, join(root, 'b')); // a folder link
    symlinkSync('..', join(root, 'a', 'deep', 'up')); // a loop back to an ancestor
    symlinkSync(join(root, 'a'), join(root, 'c')); // the same folder again
    symlinkSync('self.dat', join(root, 'self.dat')); // a link to itself (ELOOP)
    symlinkSync(join(work, 'gone'), join(root, 'dangling.dat'));
    symlinkSync(join(work, 'gone'), join(root, 'dangling-other')); // not a data name: ignored
    execFileSync('mkfifo', [join(root, 'pipe.dat')]);
    const lines: string[] = [];
    const policy = new BadFiles({ log: (l) => lines.push(l) });
    const files = walkFiles(root, { accept: (n) => n.endsWith('.dat'), badFiles: policy, log: (l) => lines.push(l) });
    expect(files.map((f) => relative(root, f))).toEqual(['a/1.dat', 'a/deep/2.dat', 'b/3.dat', 'linked.dat']);
    expect(policy.skipped.map((s) => [relative(root, s.file), s.reason])).toEqual([
      ['dangling.dat', 'unreadable'],
      ['pipe.dat', 'unreadable'],
      ['self.dat', 'unreadable'],
    ]);
    expect(policy.skipped[0]!.message).toMatch(/broken symbolic link \(to .*gone, which does not exist\)/);
    expect(policy.skipped[1]!.message).toMatch(/a FIFO, not a regular file/);
    expect(policy.skipped[2]!.message).toMatch(/symbolic link loop \(ELOOP\)/);
    expect(lines.some((l) => /left out .*deep\/up: a symbolic link back to .*tree\/a \(a loop\)/.test(l))).toBe(true);
    expect(lines.some((l) => /left out .*tree\/c: the same folder as .*tree\/a, read once/.test(l))).toBe(true);
    // Without a policy an unreadable entry is an error naming it.
    expect(() => walkFiles(root, { accept: (n) => n.endsWith('.dat') })).toThrow(
      /dangling\.dat: a broken symbolic link/,
    );
    expect(() => walkFiles(join(work, 'nowhere'), { accept: () => true })).toThrow(/nowhere: no such file or folder/);
  });

  it('checkDataFile: empty, FIFO and folder are bad files with their reason', () => {
    const d = join(work, 'check');
    mkdirSync(d);
    writeFileSync(join(d, 'empty'), '');
    writeFileSync(join(d, 'full'), 'abc');
    execFileSync('mkfifo', [join(d, 'fifo')]);
    expect(checkDataFile(join(d, 'full'))).toBe(3);
    const reasonOf = (f: string) => {
      try {
        checkDataFile(join(d, f));
      } catch (err) {
        return [(err as DataFormatError).reason, (err as DataFormatError).detail];
      }
      return undefined;
    };
    expect(reasonOf('empty')).toEqual(['empty', 'empty file (0 bytes)']);
    expect(reasonOf('fifo')).toEqual(['unreadable', 'a FIFO, not a regular file']);
    expect(reasonOf('.')).toEqual(['unreadable', 'is a folder, not a file']);
    expect(reasonOf('missing')).toEqual(['unreadable', 'no such file (ENOENT)']);
  });
});
