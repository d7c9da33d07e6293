/**
 * FASTA/FASTQ collections of any size: an index of records in the cache (reused, updated for the
 * files that change), windows read by offset from it, memory and stream modes bit for bit the
 * same (windows, strides, whole reads, skip-window, gzip and xz input, limit), and bad inputs
 * (truncated, empty, changed after indexing, damaged in the cache during a run) counted as
 * skips instead of ending a run.
 */
import { execFileSync } from 'node:child_process';
import { readdir, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { initBackend, type LoadOptions } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowDataset } from '../encode/window-dataset.js';
import { modality, windowOptionsOf } from '../modality.js';
import { openSequenceWindows } from './open-sequence-windows.js';
import { decodeBases } from '../encode/base-codes.js';
import { readFasta } from './fasta.js';
import { forEachSequenceChunk } from './load-windows.js';
import { indexSequenceFiles } from './sequence-index.js';
import { tempWorkDir } from '../../../core/src/test-support/temp-work-dir.js';
import { asStreaming, batchValues } from '../../../core/src/test-support/dataset-values.js';
import { writeFolder } from '../../../core/src/test-support/write-folder.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});
const work = tempWorkDir('autodidact-seq-index-');

/** A deterministic DNA string, with an N every `nEvery` bases when given. */
function dna(length: number, seed: number, nEvery?: number): string {
  let x = seed * 2654435761 + 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += nEvery && i % nEvery === nEvery - 1 ? 'N' : 'ACGT'[(x >>> 16) & 3];
  }
  return s;
}
const fasta = (records: string[], width = 60) =>
  records.map((r, i) => `>r${i} test\n${r.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n`).join('');
const fastq = (reads: string[]) => reads.map((r, i) => `@q${i}\n${r}\n+\n${'I'.repeat(r.length)}\n`).join('');

const folder = (name: string, files: Record<string, string | Buffer>) => writeFolder(join(work.path, name), files);

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sequence index: memory and stream', () => {
  it('give the same samples bit for bit, for windows, reads, skip-window, gzip and xz, and a limit', async () => {
    const root = await folder('modes', {
      'a.fa': fasta([dna(700, 1), dna(90, 2), dna(1300, 3, 97)], 61),
      'b.fa.gz': gzipSync(fasta([dna(900, 4), dna(450, 5, 200)], 80)),
      'c.fq': fastq([dna(150, 6), dna(120, 7), dna(151, 8)]),
    });
    execFileSync('sh', ['-c', `printf '%s' '${fasta([dna(640, 9)])}' | xz > ${join(root, 'd.fa.xz')}`]);
    const cases: LoadOptions['loader'][] = [
      { window: 100 },
      { window: 100, stride: 37 },
      { window: 128, iupac: 'skip-window' },
      { window: 'read', readLength: 140 },
    ];
    for (const [k, loader] of cases.entries()) {
      for (const limit of [undefined, 7]) {
        const o = (dataMode: 'memory' | 'stream'): LoadOptions => ({ loader, dataMode, limit, log: () => undefined });
        const mem = (await modality.loadUnlabeled(root, o('memory'))) as WindowDataset;
        // Data workers once (they start slowly from sources); the same reader on this thread for the rest.
        const str = asStreaming(
          k === 1 && limit === undefined
            ? await modality.loadUnlabeled(root, o('stream'))
            : await openSequenceWindows(root, { ...windowOptionsOf(o('stream')), dataMode: 'stream', workers: 0 }),
        );
        const label = JSON.stringify({ loader, limit });
        expect(str.size, label).toBe(mem.size);
        expect(str.sampleShape, label).toEqual(mem.sampleShape);
        const idx = all(mem.size);
        expect(Buffer.from((await batchValues(str, idx, 11)).buffer), label).toEqual(
          Buffer.from((await batchValues(mem, idx)).buffer),
        );
        await str.close();
      }
    }
  }, 120_000);
});

describe('sequence index: conversion', () => {
  it('passes a FASTA record on line by line (never whole), with the same bases and checks as the record reader', async () => {
    const records = [dna(1000, 1, 50), dna(130, 2)];
    const root = await folder('chunks', { 'a.fa': fasta(records, 60), 'bad.fa': `>x\n${dna(120, 3)}\nACGT7ACGT\n` });
    const chunks: number[] = [];
    const got: string[] = [];
    let cur = '';
    await forEachSequenceChunk(
      join(root, 'a.fa'),
      {},
      {
        onBases: (codes) => {
          chunks.push(codes.length);
          cur += decodeBases(codes);
        },
        onRecordEnd: () => {
          got.push(cur);
          cur = '';
        },
      },
    );
    expect(got).toEqual(records);
    expect(Math.max(...chunks)).toBe(60);
    const expected: string[] = [];
    for await (const r of readFasta(join(root, 'a.fa'))) expected.push(r.sequence);
    expect(got).toEqual(expected);
    await expect(
      forEachSequenceChunk(join(root, 'bad.fa'), {}, { onBases: () => undefined, onRecordEnd: () => undefined }),
    ).rejects.toThrow(/line 3, column 5: '7' is not an IUPAC nucleotide code/);
  });
});

describe('sequence index: staleness and bad files', () => {
  it('is reused while the files stay; a changed or removed file is named and indexed again', async () => {
    const root = await folder('stale', {
      'a.fa': fasta([dna(500, 1)]),
      'b.fa': fasta([dna(500, 2)]),
      'c.fa': fasta([dna(300, 3)]),
    });
    const files = ['a.fa', 'b.fa', 'c.fa'].map((f) => join(root, f));
    const first = await indexSequenceFiles(root, files);
    expect(first.report.status).toBe('built');
    const codes = await readdir(first.codesDir);
    const again = await indexSequenceFiles(root, files);
    expect(again.report.status).toBe('fresh');
    expect(await readdir(again.codesDir)).toEqual(codes); // nothing converted again

    const lines: string[] = [];
    const o: LoadOptions = { loader: { window: 100 }, log: (l) => lines.push(l) };
    const before = (await modality.loadUnlabeled(root, o)) as WindowDataset;
    expect(before.size).toBe(13);
    await writeFile(join(root, 'a.fa'), fasta([dna(200, 7)]));
    await unlink(join(root, 'c.fa'));
    lines.length = 0;
    const after = (await modality.loadUnlabeled(root, o)) as WindowDataset;
    expect(lines.some((l) => /index of .* updated: 1 changed \(a\.fa\), 1 removed \(c\.fa\)/.test(l))).toBe(true);
    expect(after.size).toBe(2 + 5);
    expect(await batchValues(after, [0])).toEqual(
      await batchValues((await modality.loadUnlabeled(join(root, 'a.fa'), o)) as WindowDataset, [0]),
    );
    // The old conversions are gone: one code file and one record table per file indexed now.
    expect((await indexSequenceFiles(root, files.slice(0, 2))).report.status).toBe('fresh');
    expect((await readdir(first.codesDir)).length).toBe(4);
  });

  it('truncated, empty and not-FASTA files are counted skips, also when the index is reused', async () => {
    const good = fasta([dna(400, 1)]);
    const root = await folder('bad', {
      'good.fa': good,
      'cut.fa.gz': gzipSync(good).subarray(0, 40),
      'headless.fa': `>last\n`,
      'empty.fa': '',
      'table.fa': 'id,value\n1,2\n',
    });
    for (const round of [1, 2]) {
      const lines: string[] = [];
      const ds = (await modality.loadUnlabeled(root, {
        loader: { window: 100 },
        log: (l) => lines.push(l),
      })) as WindowDataset;
      expect(ds.size, `round ${round}`).toBe(4);
      expect(lines.at(-1), `round ${round}`).toBe(
        `${root}: skipped 4 of 5 sequence files (1 empty, 2 truncated, 1 wrong format)`,
      );
    }
  });

  it('a file changed during a run leaves the run on what was indexed; a code file damaged in the cache is a counted skip', async () => {
    const root = await folder('run', {
      'a.fa': fasta([dna(2000, 1)]),
      'b.fa': fasta([dna(2000, 2)]),
    });
    const ds = asStreaming(
      await modality.loadUnlabeled(root, { loader: { window: 100 }, dataMode: 'stream', log: () => undefined }),
    );
    expect(ds.size).toBe(40);
    const before = await batchValues(ds, all(40));
    await writeFile(join(root, 'a.fa'), fasta([dna(500, 9)]));
    expect(await batchValues(ds, all(40), 3)).toEqual(before);
    expect(ds.skipped).toHaveLength(0);
    await ds.close();

    // The index notices the change on the next load; then b.fa's code file is cut short mid-run.
    const lines: string[] = [];
    const next = asStreaming(
      await modality.loadUnlabeled(root, { loader: { window: 100 }, dataMode: 'stream', log: (l) => lines.push(l) }),
    );
    expect(lines.some((l) => /updated: 1 changed \(a\.fa\)/.test(l))).toBe(true);
    expect(next.size).toBe(25);
    const idx = await indexSequenceFiles(root, [join(root, 'a.fa'), join(root, 'b.fa')]);
    expect(idx.report.status).toBe('fresh');
    const b = idx.index.meta![idx.index.paths.indexOf('b.fa')] as { codes: string };
    await truncate(join(idx.codesDir, b.codes), 10);
    // The whole epoch is read: b.fa's 20 windows are replaced by readable ones and counted.
    const batch = await batchValues(next, all(25), 4);
    expect(batch.length).toBe(25 * 100 * 4);
    expect(next.skipped.length).toBe(20);
    expect(next.skipped[0]!.message).toMatch(/b\.fa: its indexed bases changed in the cache/);
    await next.close();
  });
});
