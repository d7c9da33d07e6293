/**
 * The genomics modality's loader as the CLI drives it: `--window`/`--stride`, whole FASTQ reads
 * as samples (`--window read`, with its pad/trim rule), the reason when nothing fits (records,
 * length range, window), xz input, the one bad-file policy (skip with a warning per file and a
 * summary line, or `strict`), and symbolic links followed with loops left out.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, initBackend, type LoadOptions } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSkippedOnce, expectStrictStop, logTo } from '../../core/src/test-support/bad-file-policy.js';
import { tempWorkDir } from '../../core/src/test-support/temp-work-dir.js';
import { badFileFolders, loadWithLockedFile } from '../../core/src/test-support/unreadable-files.js';
import { decodeBases } from './encode/base-codes.js';
import type { WindowDataset } from './encode/window-dataset.js';
import { modality } from './modality.js';

const work = tempWorkDir('autodidact-genomics-loader-');
beforeAll(async () => {
  await initBackend({ quiet: true });
});

/** A deterministic DNA string. */
function dna(length: number, seed: number): string {
  let x = seed * 2654435761 + 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += 'ACGT'[(x >>> 16) & 3];
  }
  return s;
}

/** FASTQ text of reads of the given lengths. */
function fastq(lengths: readonly number[], seed = 0): string {
  return lengths.map((n, i) => `@read${i}\n${dna(n, seed + i)}\n+\n${'I'.repeat(n)}\n`).join('');
}

const load = (path: string, o: LoadOptions = {}) => modality.loadUnlabeled(path, o) as Promise<WindowDataset>;

describe('genomics windows', () => {
  it('--window and --stride cut every record; 150-base reads give one window each at --window 150', async () => {
    const fa = join(work.path, 'one.fa');
    writeFileSync(fa, `>r\n${dna(600, 1)}\n`);
    const ds = await load(fa, { loader: { window: 150, stride: 75 } });
    expect(ds.size).toBe(7); // starts 0, 75, ..., 450
    expect(ds.sampleShape).toEqual([150, 4]);
    expect(decodeBases(ds.codes(1))).toBe(dna(600, 1).slice(75, 225));
    const fq = join(work.path, 'reads150.fq');
    writeFileSync(fq, fastq(Array.from({ length: 40 }, () => 150)));
    const reads = await load(fq, { loader: { window: 150 } });
    expect(reads.size).toBe(40);
  });

  it('when nothing fits, says how many records, their length range and the window asked for', async () => {
    const fq = join(work.path, 'short.fq');
    writeFileSync(fq, fastq([100, 180, 300, 250]));
    await expect(load(fq, {})).rejects.toThrow(
      `${fq}: no 1,024-base windows: 4 records of 100-300 bases, all shorter than the window (window 1,024, stride 1,024); --window 100 fits every record, --window read makes each record one sample`,
    );
    const n = join(work.path, 'with-n.fa');
    writeFileSync(n, `>r\n${dna(50, 1)}N${dna(50, 2)}\n`);
    await expect(load(n, { loader: { window: 100, iupac: 'skip-window' } })).rejects.toThrow(
      /no 100-base windows without N: 1 record of 101 bases; all 1 windows .* hold an ambiguous base/,
    );
  });

  it("--window read: each read is one sample, trimmed or N-padded at the 3' end", async () => {
    const fq = join(work.path, 'mixed.fq');
    writeFileSync(fq, fastq([100, 180, 300, 250], 7));
    const ds = await load(fq, { loader: { window: 'read' } });
    expect(ds.size).toBe(4);
    expect(ds.sampleShape).toEqual([300, 4]); // the longest read
    expect(decodeBases(ds.codes(0))).toBe(dna(100, 7) + 'N'.repeat(200));
    expect(decodeBases(ds.codes(2))).toBe(dna(300, 9));
    const x = ds.getBatch([0]);
    const v = x.dataSync();
    expect(Array.from(v.slice(100 * 4, 101 * 4))).toEqual([0, 0, 0, 0]); // padding is all-zero one-hot
    x.dispose();
    const trimmed = await load(fq, { loader: { window: 'read', readLength: 150 } });
    expect(trimmed.sampleShape).toEqual([150, 4]);
    expect(decodeBases(trimmed.codes(2))).toBe(dna(300, 9).slice(0, 150));
    await expect(load(fq, { loader: { window: 150, readLength: 150 } })).rejects.toThrow(
      '--read-length: --read-length applies with --window read only',
    );
    const genome = join(work.path, 'genome.fa');
    writeFileSync(genome, `>chr\n${dna(5000, 3)}\n`);
    await expect(load(genome, { loader: { window: 'read' } })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('genomics compressed input', () => {
  it('.fa.xz is read, in a folder and passed directly; other compressions are counted bad files', async () => {
    const dir = join(work.path, 'xz');
    mkdirSync(dir);
    const text = `>a\n${dna(300, 5)}\n>b\n${dna(200, 6)}\n`;
    writeFileSync(join(dir, 'plain.fa'), text);
    writeFileSync(join(dir, 'packed.fa'), text);
    execFileSync('xz', ['-9', join(dir, 'packed.fa')]); // -> packed.fa.xz
    const packed = join(dir, 'packed.fa.xz');
    const direct = await load(packed, { loader: { window: 100 } });
    expect(direct.size).toBe(5);
    expect(decodeBases(direct.codes(3))).toBe(dna(200, 6).slice(0, 100));
    const bytes = readFileSync(packed);
    writeFileSync(join(dir, 'cut.fa.xz'), bytes.subarray(0, bytes.length - 30));
    writeFileSync(join(dir, 'other.fa.bz2'), Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(40, 7)]));
    const lines: string[] = [];
    const all = await load(dir, { loader: { window: 100 }, log: logTo(lines) });
    expect(all.size).toBe(10); // plain and packed, 5 windows each
    expect(lines).toContain(`skipped ${join(dir, 'cut.fa.xz')}: the xz stream ends early`);
    expect(lines).toContain(
      `skipped ${join(dir, 'other.fa.bz2')}: bzip2-compressed, which is not read: decompress it, or compress it with gzip or xz`,
    );
    expect(lines.at(-1)).toBe(`${dir}: skipped 2 of 4 sequence files (1 truncated, 1 wrong format)`);
  });
});

describe('genomics bad files and links', () => {
  const bad = badFileFolders(work, 'fa', (root, elsewhere) => {
    writeFileSync(join(root, 'good-1.fa'), `>g1\n${dna(400, 11)}\n`);
    writeFileSync(join(root, 'sub', 'good-2.fq'), fastq([200, 200], 20));
    writeFileSync(join(elsewhere, 'linked.fa'), `>g3\n${dna(400, 12)}\n`);
    symlinkSync(join(elsewhere, 'linked.fa'), join(root, 'good-3.fa'));
    writeFileSync(join(root, 'empty.fa'), '');
    writeFileSync(join(root, 'truncated.fq'), `${fastq([200], 30)}@cut\n${dna(50, 1)}\n`);
    writeFileSync(join(root, 'wrong.fa'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  });

  it('skips each bad file with a warning and one summary line; one empty file no longer stops a run', async () => {
    const lines: string[] = [];
    const ds = await load(bad.root, { loader: { window: 200 }, log: logTo(lines) });
    expect(ds.size).toBe(2 + 2 + 2); // good-1 and good-3: 2 windows each; good-2: 2 reads
    expectSkippedOnce(lines, bad.root, {
      summary: `${bad.root}: skipped 5 of 8 sequence files (1 empty, 1 truncated, 1 wrong format, 2 unreadable)`,
      skipped: ['empty.fa', 'truncated.fq', 'wrong.fa', 'fifo.fa', 'dangling.fa'],
      loop: 'sub/up',
    });
  });

  it('strict stops at the first bad file with a one-line error naming it', async () => {
    await expectStrictStop(
      load(bad.root, { strict: true, loader: { window: 200 } }),
      /dangling\.fa: a broken symbolic link/,
    );
  });

  it('a file without read permission is unreadable (as root: in a child without the read-override capabilities)', {
    timeout: 60_000,
  }, () => {
    const { size, lines } = loadWithLockedFile(
      'genomics',
      join(work.path, 'perm'),
      ['ok.fa', `>a\n${dna(300, 1)}\n`],
      ['locked.fa', `>b\n${dna(300, 2)}\n`],
      { window: 100 },
    );
    expect(size).toBe(3);
    expect(lines.at(-1)).toMatch(/skipped 1 of 2 sequence files \(1 unreadable\)/);
  });
});
