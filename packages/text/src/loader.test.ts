/**
 * The text modality's loader as the CLI drives it: `--context-length`, `--vocab-size` and
 * `--tokenizer`, the one bad-file policy (skip with a warning per file and a summary line, or
 * `strict`) for corpora and class folders, symbolic links followed with loops left out, and a
 * path without text named with the extensions looked for.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, initBackend } from '@autodidact/core';
import { expectSkippedOnce, expectStrictStop, logTo } from '../../core/src/test-support/bad-file-policy.js';
import { tempWorkDir } from '../../core/src/test-support/temp-work-dir.js';
import { badFileFolders, loadWithLockedFile } from '../../core/src/test-support/unreadable-files.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activeTokenizer, setActiveTokenizer } from './data/active-tokenizer.js';
import { modality } from './modality.js';

const work = tempWorkDir('autodidact-text-loader-');
beforeAll(async () => {
  await initBackend({ quiet: true });
});
// Each load below chooses its own tokenizer.
beforeEach(() => setActiveTokenizer(undefined as never));

const prose = (seed: number) =>
  Array.from({ length: 60 }, (_, i) => `Sentence ${i + seed}: the ${i % 3 ? 'river' : 'mill'} turned slowly.`).join(
    '\n',
  );

describe('text loader options', () => {
  it('--context-length sets the window, --vocab-size the trained vocabulary', async () => {
    const dir = join(work.path, 'opts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), prose(0));
    const ds = await modality.loadUnlabeled(dir, { loader: { contextLength: 32, vocabSize: 300 } });
    expect(ds.sampleShape).toEqual([32]);
    expect(activeTokenizer()!.tokenizer.vocabSize).toBeLessThanOrEqual(300);
    ds.dispose?.();
    // a window that contradicts the encoder's is refused, naming both
    const encoder = { kind: 'transformer', modality: 'text', outputDim: 16, inputShape: [64], contextLength: 64 };
    await expect(modality.loadUnlabeled(dir, { encoder, loader: { contextLength: 32 } })).rejects.toThrow(
      '--context-length: the encoder reads windows of 64 tokens; --context-length 32 does not fit it',
    );
    await expect(modality.loadUnlabeled(dir, { encoder, loader: { contextLength: 32 } })).rejects.toBeInstanceOf(
      ConfigError,
    );
    const fitted = await modality.loadUnlabeled(dir, { encoder });
    expect(fitted.sampleShape).toEqual([64]);
    fitted.dispose?.();
  });

  it('a folder without text names itself and the extensions looked for', async () => {
    const dir = join(work.path, 'no-text');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.md'), 'markdown is not read');
    await expect(modality.loadUnlabeled(dir, {})).rejects.toThrow(
      `${dir}: no text to train a vocabulary on: no *.txt or *.txt.gz files (folders are searched recursively)`,
    );
    writeFileSync(join(dir, 'blank.txt'), '\n\n\n');
    await expect(modality.loadUnlabeled(dir, {})).rejects.toThrow(
      new RegExp(
        `${dir}: the corpus holds no text to train a vocabulary on: its 1 text file\\(s\\) hold only blank lines`,
      ),
    );
  });
});

describe('text bad files and links', () => {
  const bad = badFileFolders(work, 'txt', (root, elsewhere) => {
    writeFileSync(join(root, 'good-1.txt'), prose(0));
    writeFileSync(join(root, 'sub', 'good-2.txt'), prose(100));
    writeFileSync(join(elsewhere, 'good-3.txt'), prose(200));
    symlinkSync(join(elsewhere, 'good-3.txt'), join(root, 'linked.txt'));
    writeFileSync(join(root, 'empty.txt'), '');
    writeFileSync(
      join(root, 'truncated.txt'),
      Buffer.from([...Buffer.from('cut in the middle of a euro sign '), 0xe2, 0x82]),
    );
    writeFileSync(
      join(root, 'wrong.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x81]),
    );
  });

  it('corpus: skips each bad file with a warning and one summary line; linked files are read', async () => {
    const lines: string[] = [];
    const ds = await modality.loadUnlabeled(bad.root, {
      loader: { contextLength: 16, vocabSize: 300 },
      log: logTo(lines),
    });
    expect(ds.size).toBeGreaterThan(3 * 20); // three files of ~60 lines each, in 16-token windows
    expectSkippedOnce(lines, bad.root, {
      summary: `${bad.root}: skipped 5 of 8 text files (1 empty, 1 truncated, 1 wrong format, 2 unreadable)`,
      skipped: ['empty.txt', 'truncated.txt', 'wrong.txt', 'fifo.txt', 'dangling.txt'],
      loop: 'sub/up',
    });
    ds.dispose?.();
  });

  it('class folders: the same policy; strict stops at the first bad file', async () => {
    const dir = join(work.path, 'classes');
    mkdirSync(join(dir, 'pos'), { recursive: true });
    mkdirSync(join(dir, 'neg'));
    writeFileSync(join(dir, 'pos', 'a.txt'), 'a fine day');
    writeFileSync(join(dir, 'pos', 'b.txt'), '');
    writeFileSync(join(dir, 'neg', 'c.txt'), 'a grim day');
    symlinkSync(join(work.path, 'gone.txt'), join(dir, 'neg', 'd.txt'));
    const lines: string[] = [];
    const ds = await modality.loadLabeled(dir, { loader: { vocabSize: 300 }, log: logTo(lines) });
    expect(ds.size).toBe(2);
    expect(ds.classNames).toEqual(['neg', 'pos']);
    expect(lines).toContain(`${dir}: skipped 2 of 4 text files (1 empty, 1 unreadable)`);
    ds.dispose?.();
    await expectStrictStop(
      modality.loadLabeled(dir, { strict: true, log: () => {} }),
      /neg\/d\.txt: a broken symbolic link/,
    );
  });

  it('strict stops a corpus load at the first bad file with a one-line error naming it', async () => {
    await expectStrictStop(
      modality.loadUnlabeled(bad.root, { strict: true, log: () => {} }),
      /dangling\.txt: a broken symbolic link/,
    );
  });

  it('a file without read permission is unreadable (as root: in a child without the read-override capabilities)', async () => {
    const { size, lines } = loadWithLockedFile(
      'text',
      join(work.path, 'perm'),
      ['ok.txt', prose(0)],
      ['locked.txt', prose(1)],
      {
        vocabSize: 300,
      },
    );
    expect(size).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/skipped 1 of 2 text files \(1 unreadable\)/);
  });
});
