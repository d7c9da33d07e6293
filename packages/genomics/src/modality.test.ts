import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError, Rng } from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeBases } from './encode/base-codes.js';
import type { WindowDataset } from './encode/window-dataset.js';
import { loadLabeledWindows, loadWindows } from './io/load-windows.js';
import { modality } from './modality.js';

const rng = new Rng(5);
const dna = (n: number) => Array.from({ length: n }, () => 'ACGT'[rng.int(4)]).join('');

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'genomics-modality-'));
  mkdirSync(join(root, 'alpha'));
  mkdirSync(join(root, 'beta', 'nested'), { recursive: true });
  writeFileSync(join(root, 'alpha', 'a1.fa'), `>a1\n${dna(2500)}\n>a2\n${dna(1100)}\n`);
  writeFileSync(join(root, 'beta', 'nested', 'b1.fasta.gz'), gzipSync(`>b1\n${dna(3000)}\n`));
  writeFileSync(join(root, 'beta', 'reads.fq'), `@r1\n${dna(40)}\n+\n${'I'.repeat(40)}\n`);
  writeFileSync(join(root, 'beta', 'notes.txt'), 'not a sequence');
  return root;
}

describe('genomics modality and loaders', () => {
  it('cuts FASTA/FASTQ files and folders into 1,024-base windows', async () => {
    const root = tree();
    const ds = (await modality.loadUnlabeled(root)) as WindowDataset;
    // a1: 2 windows, a2: 1, b1: 2, the 40-base read: none.
    expect(ds.size).toBe(5);
    expect(ds.sampleShape).toEqual([1024, 4]);
    const x = ds.getBatch([0, 4]);
    expect(x.shape).toEqual([2, 1024, 4]);
    x.dispose();
    const limited = (await modality.loadUnlabeled(root, { limit: 2 })) as WindowDataset;
    expect(limited.size).toBe(2);
  });

  it('labels windows by class subfolder and keeps each window source file', async () => {
    const root = tree();
    const ds = (await modality.loadLabeled(root)) as WindowDataset;
    expect(ds.classNames).toEqual(['alpha', 'beta']);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 0, 1, 1]);
    expect(ds.sourceOf(4)).toBe(join(root, 'beta', 'nested', 'b1.fasta.gz'));
    const small = await loadLabeledWindows(root, { length: 500, stride: 250 });
    expect(small.size).toBe(9 + 3 + 11);
    expect(decodeBases(small.codes(1))).toMatch(/^[ACGT]{500}$/);
  });

  it('fails clearly on missing paths, empty classes and malformed files', async () => {
    const root = tree();
    await expect(modality.loadUnlabeled(join(root, 'nope'))).rejects.toBeInstanceOf(DataFormatError);
    mkdirSync(join(root, 'empty'));
    await expect(modality.loadLabeled(root)).rejects.toThrow(/class folder 'empty' has no FASTA/);
    const bad = mkdtempSync(join(tmpdir(), 'genomics-bad-'));
    writeFileSync(join(bad, 'x.fa'), '>x\nACGT\nAC1T\n');
    await expect(loadWindows(bad, { length: 4 })).rejects.toThrow(/x\.fa: line 3, column 3/);
  });

  it('rebuilds encoders from configs and points at the bacteria set by default', async () => {
    const spec = modality.methods.get('self-genomenet');
    const m = spec.create({ sampleShape: [256, 4], options: { width: 8, hidden: 8 }, rng: new Rng(0) });
    const enc = modality.createEncoder(JSON.parse(JSON.stringify(m.encoder.config)), new Rng(1));
    expect([...enc.allVariables().keys()]).toEqual([...m.encoder.allVariables().keys()]);
    const z = tf.tidy(() => enc.apply(tf.zeros([2, 256, 4]), false));
    expect(z.shape).toEqual([2, 16]);
    z.dispose();
    enc.dispose();
    m.dispose();
    expect(modality.methods.names()).toEqual(['self-genomenet', 'cpc', 'mlm']);
    try {
      const d = await modality.defaultData!();
      expect(d.train.endsWith('train')).toBe(true);
    } catch (err) {
      expect((err as Error).message).toMatch(/npx autodidact data fetch bacteria/);
    }
  });
});
