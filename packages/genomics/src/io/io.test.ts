import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { reverseComplement } from '../encode/reverse-complement.js';
import { dataPath } from '../test-support/data.js';
import { parseFasta, readFasta } from './fasta.js';
import { parseFastq, readFastq } from './fastq.js';
import { parseGenBank, readGenBank } from './genbank.js';
import { gff3Location, parseGff3, readGff3 } from './gff3.js';
import { extractLocation, parseInsdcLocation } from './location.js';

function expectFormatError(f: () => unknown, ...parts: string[]): void {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    for (const p of parts) expect((err as Error).message).toContain(p);
    return;
  }
  throw new Error('expected a DataFormatError');
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('FASTA', () => {
  it('reads multi-record, multi-line, lower case, CRLF, comments', () => {
    const recs = parseFasta('>a first one\r\nacgt\r\nAC\n\n;comment\n>b\nGGTT\n', 'x.fa');
    expect(recs.map((r) => [r.id, r.description, r.sequence, r.line])).toEqual([
      ['a', 'first one', 'ACGTAC', 1],
      ['b', '', 'GGTT', 6],
    ]);
  });

  it('applies the IUPAC policy', () => {
    expect(parseFasta('>a\nACRNU\n')[0]!.sequence).toBe('ACNNT');
    expectFormatError(() => parseFasta('>a\nAC\nACRN\n', 'f.fa', { iupac: 'error' }), 'f.fa', 'line 3', 'column 3');
    const r = parseFasta('>a\nRRRRRRRRRRRRRRRRRRRRYYYYYYYYYYYYYYYYYYYY\n', 'f', { iupac: 'replace-random', seed: 3 });
    expect(r[0]!.sequence.slice(0, 20)).toMatch(/^[AG]{20}$/);
    expect(r[0]!.sequence.slice(20)).toMatch(/^[CT]{20}$/);
    expect(new Set(r[0]!.sequence).size).toBe(4);
  });

  it('fails with file and line on malformed input', () => {
    expectFormatError(() => parseFasta('ACGT\n', 'f.fa'), 'f.fa', 'line 1', 'before the first');
    expectFormatError(() => parseFasta('>a\nAC\nAXGT\n', 'f.fa'), 'f.fa', 'line 3', 'column 2', "'X'");
    expectFormatError(() => parseFasta('>a\n>b\nAC\n', 'f.fa'), 'line 1', "'a' has no sequence");
    expectFormatError(() => parseFasta('>\nAC\n', 'f.fa'), 'line 1', 'empty FASTA header');
    expectFormatError(() => parseFasta('', 'f.fa'), 'no FASTA records');
  });

  it('streams gzip and plain files alike (gzip told by magic bytes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fasta-'));
    const text = '>s1 d\nACGT\nTT\n>s2\nGG\n';
    writeFileSync(join(dir, 'plain.fa'), text);
    writeFileSync(join(dir, 'zipped.txt'), gzipSync(text));
    const a = await collect(readFasta(join(dir, 'plain.fa')));
    const b = await collect(readFasta(join(dir, 'zipped.txt')));
    expect(b).toEqual(a);
    expect(a.map((r) => r.sequence)).toEqual(['ACGTTT', 'GG']);
    writeFileSync(join(dir, 'bad.gz'), Buffer.concat([gzipSync(text).subarray(0, 20)]));
    await expect(collect(readFasta(join(dir, 'bad.gz')))).rejects.toBeInstanceOf(DataFormatError);
  });

  const lambda = dataPath('lambda', 'lambda_virus.fa.gz');
  it.skipIf(!lambda.present)('reads the phage lambda genome (48,502 bp)', async () => {
    const recs = await collect(readFasta(lambda.path));
    expect(recs).toHaveLength(1);
    expect(recs[0]!.id).toBe('gi|9626243|ref|NC_001416.1|');
    expect(recs[0]!.sequence.length).toBe(48502);
    expect(recs[0]!.sequence.startsWith('GGGCGGCGACCTCGCGGGTTTTCGCTATTTATGAAAATTTTCCGGTTTAAGGCGTTTCCG')).toBe(true);
  });

  const vc = dataPath('bacteria', 'train/V.Cholerae/H1.fasta.gz');
  it.skipIf(!vc.present)('reads a two-chromosome gzipped genome (V. cholerae H1)', async () => {
    const recs = await collect(readFasta(vc.path));
    expect(recs).toHaveLength(2);
    expect(recs.every((r) => /^[ACGTN]+$/.test(r.sequence))).toBe(true);
    expect(recs[0]!.sequence.length + recs[1]!.sequence.length).toBeGreaterThan(3_900_000);
  });
});

describe('FASTQ', () => {
  it('reads records with qualities', () => {
    const recs = parseFastq('@r1 x\nACGN\n+\nII#!\n@r2\nTT\n+r2\n~~\n');
    expect(recs.map((r) => [r.id, r.sequence, Array.from(r.quality)])).toEqual([
      ['r1', 'ACGN', [40, 40, 2, 0]],
      ['r2', 'TT', [93, 93]],
    ]);
  });

  it('fails with file and line on malformed input', () => {
    expectFormatError(() => parseFastq('>r1\nAC\n+\nII\n', 'q.fq'), 'q.fq', 'line 1', "'@'");
    expectFormatError(() => parseFastq('@r1\nAC\n-\nII\n', 'q.fq'), 'line 3', "'+'");
    expectFormatError(() => parseFastq('@r1\nACG\n+\nII\n', 'q.fq'), 'line 4', '3 bases but 2 quality');
    expectFormatError(() => parseFastq('@r1\nAC\n+\nII\n@r2\nAC\n', 'q.fq'), 'line 5', 'truncated');
    expectFormatError(() => parseFastq('@r1\nAC\n+\nI\u0010\n', 'q.fq'), 'line 4', 'Phred');
    expectFormatError(() => parseFastq('@r1\nA1\n+\nII\n', 'q.fq'), 'line 2', "'1'");
  });

  const reads = dataPath('lambda', 'reads_1.fq.gz');
  it.skipIf(!reads.present)('streams the bowtie2 example reads (gzip)', async () => {
    let n = 0;
    let bases = 0;
    for await (const r of readFastq(reads.path)) {
      expect(r.quality.length).toBe(r.sequence.length);
      n++;
      bases += r.sequence.length;
    }
    expect(n).toBe(10000);
    expect(bases / n).toBeGreaterThan(50);
  });
});

describe('line endings', () => {
  it('reads CRLF text, in memory and from files, as it reads LF text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crlf-'));
    const fastq = '@r1 x\nACGN\n+\nII#!\n@r2\nTT\n+r2\n~~\n';
    const crlf = (s: string) => s.replaceAll('\n', '\r\n');
    const cases: [string, (t: string) => unknown[], (p: string) => AsyncIterable<unknown>][] = [
      [fastq, (t) => parseFastq(t, 'x.fq'), (f) => readFastq(f)],
      [GBK, (t) => parseGenBank(t, 'x.gbk'), (f) => readGenBank(f)],
    ];
    for (const [text, parse, read] of cases) {
      const lf = parse(text);
      expect(lf.length).toBeGreaterThan(0);
      expect(parse(crlf(text))).toEqual(lf);
      const file = join(dir, `f${lf.length}${text.length}`);
      writeFileSync(file, crlf(text));
      const streamed = await collect(read(file));
      expect(streamed.map((r) => JSON.stringify({ ...(r as object), line: 0 }))).toEqual(
        lf.map((r) => JSON.stringify({ ...(r as object), line: 0 })),
      );
    }
  });
});

describe('INSDC locations', () => {
  it('parses ranges, complement, join and partial ends', () => {
    expect(parseInsdcLocation('12..20')).toEqual([{ start: 12, end: 20, strand: 1 }]);
    expect(parseInsdcLocation('<1..>9')).toEqual([{ start: 1, end: 9, strand: 1 }]);
    expect(parseInsdcLocation('complement(join(1..3,7..9))')).toEqual([
      { start: 7, end: 9, strand: -1 },
      { start: 1, end: 3, strand: -1 },
    ]);
    expect(parseInsdcLocation('join(1..3,complement(7..9))')).toEqual([
      { start: 1, end: 3, strand: 1 },
      { start: 7, end: 9, strand: -1 },
    ]);
    expect(parseInsdcLocation('J00194.1:100..202')).toBeUndefined();
    expect(parseInsdcLocation('5^6')).toBeUndefined();
    expect(() => parseInsdcLocation('join(1..3')).toThrow(/bad location/);
  });

  it('extracts the sequence a location reads', () => {
    const seq = 'AACCGGTTAC';
    expect(extractLocation(seq, parseInsdcLocation('complement(join(1..3,7..9))')!)).toBe(
      reverseComplement('AAC' + 'TTA'),
    );
  });
});

const GBK = `LOCUS       TEST1                     24 bp    DNA     linear   BCT 01-JAN-2020
DEFINITION  A test
            record.
FEATURES             Location/Qualifiers
     source          1..24
                     /organism="Testus"
     gene            join(1..3,
                     10..12)
                     /gene="abcD"
     CDS             complement(4..9)
                     /gene="xyz"
                     /product="a long
                     product name"
                     /pseudo
ORIGIN
        1 atgaaacccg ggttttacga tcga
//
`;

describe('GenBank', () => {
  it('reads features, qualifiers and the sequence', () => {
    const [rec] = parseGenBank(GBK, 't.gbk');
    expect(rec!.id).toBe('TEST1');
    expect(rec!.description).toBe('A test record.');
    expect(rec!.sequence).toBe('ATGAAACCCGGGTTTTACGATCGA');
    expect(rec!.features.map((f) => f.type)).toEqual(['source', 'gene', 'CDS']);
    const [, gene, cds] = rec!.features;
    expect(gene!.qualifiers.gene).toEqual(['abcD']);
    expect(extractLocation(rec!.sequence, gene!.location!)).toBe('ATGGGG');
    expect(cds!.qualifiers.product).toEqual(['a long product name']);
    expect(cds!.qualifiers.pseudo).toEqual(['']);
    expect(extractLocation(rec!.sequence, cds!.location!)).toBe(reverseComplement('AAACCC'));
  });

  it('fails with file and line on malformed input', () => {
    expectFormatError(
      () => parseGenBank(GBK.replace('complement(4..9)', 'complement(4..9'), 'g.gbk'),
      'g.gbk',
      'line 10',
    );
    expectFormatError(() => parseGenBank(GBK.replace('//\n', ''), 'g.gbk'), 'line 1', "no closing '//'");
    expectFormatError(() => parseGenBank(GBK.replace('ttttacga', 'ttttaxga'), 'g.gbk'), 'line 16', 'column 29', "'x'");
    expectFormatError(() => parseGenBank(GBK.replace('4..9', '4..90'), 'g.gbk'), 'line 10', 'past the sequence');
    expectFormatError(() => parseGenBank('hello\n', 'g.gbk'), 'line 1', 'LOCUS');
  });

  const kap = dataPath('kaptive', 'Klebsiella_o_locus_primary_reference.gbk');
  it.skipIf(!kap.present)('reads the Kaptive O-locus references and cuts their CDS', async () => {
    const recs = await collect(readGenBank(kap.path));
    expect(recs).toHaveLength(16);
    let cds = 0;
    for (const r of recs) {
      for (const f of r.features) {
        if (f.type !== 'CDS' || !f.location) continue;
        const s = extractLocation(r.sequence, f.location);
        expect(s.length % 3).toBe(0);
        cds++;
      }
    }
    expect(cds).toBeGreaterThan(100);
    const rfbB = recs[0]!.features.find((f) => f.type === 'CDS' && f.qualifiers.gene?.[0] === 'rfbB')!;
    expect(extractLocation(recs[0]!.sequence, rfbB.location!).slice(0, 3)).toBe('ATG');
  });
});

describe('GFF3', () => {
  const text = '##gff-version 3\nchr1\tSGD\tgene\t2\t4\t.\t-\t.\tID=g1;Note=a%20b,c\n##FASTA\n>chr1\nAACGTT\n';
  it('reads features, attributes and the FASTA section', () => {
    const g = parseGff3(text, 'a.gff3');
    expect(g.features[0]).toMatchObject({ seqid: 'chr1', type: 'gene', start: 2, end: 4, strand: '-', line: 2 });
    expect(g.features[0]!.attributes).toEqual({ ID: ['g1'], Note: ['a b', 'c'] });
    expect(g.sequences.map((s) => [s.id, s.sequence, s.line])).toEqual([['chr1', 'AACGTT', 4]]);
    expect(extractLocation(g.sequences[0]!.sequence, gff3Location(g.features[0]!))).toBe('CGT');
  });

  it('fails with file and line on malformed input', () => {
    expectFormatError(() => parseGff3('chr1\tSGD\tgene\t2\t4\t.\t-\t.\n', 'a.gff3'), 'a.gff3', 'line 1', '9 tab');
    expectFormatError(() => parseGff3('#x\nc\ts\tgene\tx\t4\t.\t+\t.\t.\n', 'a.gff3'), 'line 2', 'integers');
    expectFormatError(() => parseGff3('c\ts\tgene\t5\t4\t.\t+\t.\t.\n', 'a.gff3'), 'line 1', 'start <= end');
    expectFormatError(() => parseGff3('c\ts\tgene\t1\t4\t.\t*\t.\t.\n', 'a.gff3'), 'line 1', 'strand');
    expectFormatError(() => parseGff3('c\ts\tgene\t1\t4\t.\t+\t.\tfoo\n', 'a.gff3'), 'line 1', 'key=value');
  });

  const gff = dataPath('yeast', 'yeast_chr1+2.gff3');
  const chr1 = dataPath('yeast', 'chr1.fa');
  it.skipIf(!gff.present || !chr1.present)('cuts yeast chrI coding sequences that start with ATG', async () => {
    const g = await readGff3(gff.path);
    const [seq] = await collect(readFasta(chr1.path));
    expect(seq!.sequence.length).toBe(230208);
    const cds = g.features.filter((f) => f.seqid === 'chrI' && f.type === 'CDS');
    expect(cds.length).toBeGreaterThan(90);
    // Single-exon verified ORFs start with ATG on their own strand.
    const starts = cds.map((f) => extractLocation(seq!.sequence, gff3Location(f)).slice(0, 3));
    expect(starts.filter((s) => s === 'ATG').length / starts.length).toBeGreaterThan(0.8);
  });
});
