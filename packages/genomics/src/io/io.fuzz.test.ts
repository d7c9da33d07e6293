// Property-based tests of the sequence readers: round trips of generated records through
// FASTA/FASTQ text, and arbitrary or mutated inputs, which must either parse to consistent
// records or fail with a DataFormatError naming the file and a line within the input; never
// another error.
import { DataFormatError } from '@autodidact/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFasta } from './fasta.js';
import { parseFastq } from './fastq.js';
import { parseGenBank } from './genbank.js';
import { parseGff3 } from './gff3.js';

const RUNS = 2000;

function checkError(err: unknown, file: string, lines: number): void {
  if (!(err instanceof DataFormatError)) throw err;
  expect(err.message.startsWith(`${file}: `)).toBe(true);
  const m = /line (\d+)/.exec(err.message);
  if (m) {
    expect(Number(m[1])).toBeGreaterThanOrEqual(1);
    expect(Number(m[1])).toBeLessThanOrEqual(lines);
  }
}

const iupac = fc.constantFrom(...'ACGTUacgtuRYSWKMBDHVNn');
const seq = fc.array(iupac, { minLength: 1, maxLength: 200 }).map((a) => a.join(''));
const id = fc.stringMatching(/^[A-Za-z0-9_|.:-]{1,20}$/);
const soup = fc
  .array(fc.constantFrom('>', '@', '+', '\n', ' ', '\r', ';', '#', 'A', 'C', 'G', 'T', 'N', 'x', '1', '!', 'I', '\t'), {
    maxLength: 200,
  })
  .map((a) => a.join(''));

function expected(s: string): string {
  return s
    .toUpperCase()
    .replace(/U/g, 'T')
    .replace(/[^ACGT]/g, 'N');
}

describe('FASTA reader under fuzzing', () => {
  it(`round-trips generated records at any line width (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, fc.string({ maxLength: 20 }), seq), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 80 }),
        (recs, width) => {
          const text = recs
            .map(([i, d, s]) => {
              const desc = d.replace(/[\r\n]/g, ' ').trim();
              const lines = s.match(new RegExp(`.{1,${width}}`, 'g'))!;
              return `>${i}${desc ? ` ${desc}` : ''}\n${lines.join('\n')}\n`;
            })
            .join('');
          const out = parseFasta(text, 'gen.fa');
          expect(out.map((r) => r.id)).toEqual(recs.map((r) => r[0]));
          expect(out.map((r) => r.sequence)).toEqual(recs.map((r) => expected(r[2])));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`arbitrary text parses consistently or fails with a line (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(
        soup,
        fc.constantFrom('error', 'as-N', 'skip-window', 'replace-random') as fc.Arbitrary<'as-N'>,
        (t, iupacPolicy) => {
          try {
            const recs = parseFasta(t, 'soup.fa', { iupac: iupacPolicy });
            for (const r of recs) expect(r.sequence).toMatch(/^[ACGTN]+$/);
            expect(recs.length).toBe(t.split('\n').filter((l) => l.startsWith('>')).length);
          } catch (err) {
            checkError(err, 'soup.fa', t.split('\n').length);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('FASTQ reader under fuzzing', () => {
  it(`round-trips generated records (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(id, seq, fc.nat()), { minLength: 1, maxLength: 5 }), (recs) => {
        const quals = recs.map(([, s, q]) => Array.from(s, (_, i) => (q + i * 7) % 94));
        const text = recs
          .map(([i, s], k) => `@${i}\n${s}\n+\n${String.fromCharCode(...quals[k]!.map((q) => q + 33))}\n`)
          .join('');
        const out = parseFastq(text, 'gen.fq');
        expect(out.map((r) => r.sequence)).toEqual(recs.map((r) => expected(r[1])));
        expect(out.map((r) => Array.from(r.quality))).toEqual(quals);
      }),
      { numRuns: RUNS },
    );
  });

  it(`arbitrary text parses consistently or fails with a line (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(soup, (t) => {
        try {
          for (const r of parseFastq(t, 'soup.fq')) expect(r.quality.length).toBe(r.sequence.length);
        } catch (err) {
          checkError(err, 'soup.fq', t.split('\n').length);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

const GBK = `LOCUS       T1   24 bp    DNA
DEFINITION  t.
FEATURES             Location/Qualifiers
     gene            join(1..3,10..12)
                     /gene="abcD"
     CDS             complement(4..9)
                     /product="a long
                     name"
ORIGIN
        1 atgaaacccg ggttttacga tcga
//
`;
const GFF = '##gff-version 3\nchr1\tSGD\tgene\t2\t4\t.\t-\t.\tID=g1;Note=a%20b\n##FASTA\n>chr1\nAACGTT\n';

function mutate(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 3 }), fc.constantFrom(...'/()."=\n \t.,<>^0159xA')), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      let t = text;
      for (const [at, del, ch] of edits) t = t.slice(0, at) + ch + t.slice(at + del);
      return t;
    });
}

describe('GenBank and GFF3 readers under fuzzing', () => {
  it(`mutated GenBank records parse consistently or fail with a line (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(mutate(GBK), (t) => {
        try {
          for (const r of parseGenBank(t, 'm.gbk')) {
            expect(r.sequence).toMatch(/^[ACGTN]*$/);
            for (const f of r.features) {
              if (r.sequence.length === 0) continue;
              for (const g of f.location ?? []) expect(g.end).toBeLessThanOrEqual(r.sequence.length);
            }
          }
        } catch (err) {
          checkError(err, 'm.gbk', t.split('\n').length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`mutated GFF3 files parse consistently or fail with a line (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(mutate(GFF), (t) => {
        try {
          const g = parseGff3(t, 'm.gff3');
          for (const f of g.features) expect(f.start).toBeLessThanOrEqual(f.end);
        } catch (err) {
          checkError(err, 'm.gff3', t.split('\n').length);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
