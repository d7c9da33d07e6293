import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@autodidact/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BpeTokenizer } from './bpe-tokenizer.js';
import { decodeLines, readCorpusLines } from './corpus-reader.js';
import { loadTokenizerJson } from './load-tokenizer-json.js';
import { specialIds } from './text-tokenizer.js';
import { trainBpe } from './train-bpe.js';

const corpus = [
  'The quick brown fox jumps over the lazy dog.',
  'Über den Wolken muss die Freiheit wohl grenzenlos sein — naïve café.',
  'Ελληνικά κείμενα και 日本語のテキスト, emoji 🙂🚀 and numbers 1790, 2021.',
  "It's the people's government; they'll say we've done it.",
  'the the the then there these those their them',
];

describe('byte-level BPE', () => {
  it('merges the most frequent pair first and round-trips any text', async () => {
    const tok = await trainBpe(['aaab aaab aaab', 'ab ab'], { vocabSize: 3 + 256 + 2, minFrequency: 1 });
    // Piece counts: "aaab" x3, "Ġaaab" x2, "Ġab" x2 ... the pair (a, a) occurs 2 per aaab piece.
    expect(tok.merges[0]).toEqual(['a', 'a']);
    const t = await trainBpe(corpus, { vocabSize: 400 });
    for (const s of [...corpus, 'unseen: żółć ﬁ \u0000 \t\r\n x', '🙂'.repeat(5)]) {
      expect(t.decode(t.encode(s))).toBe(s.normalize('NFC'));
    }
    expect(specialIds(t)).toEqual({ pad: 0, mask: 1, eos: 2 });
  });

  it('encodes exactly as tokenizers.js does from the saved tokenizer.json', async () => {
    const t = await trainBpe(corpus, { vocabSize: 500, minFrequency: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'bpe-'));
    const path = join(dir, 'tokenizer.json');
    await t.save(path);
    const hf = await loadTokenizerJson(path);
    expect(hf.vocabSize).toBe(t.vocabSize);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...corpus)), (s) => {
        expect(hf.encode(s)).toEqual(t.encode(s));
      }),
      { numRuns: 300 },
    );
    const reloaded = await BpeTokenizer.load(path);
    expect(reloaded.encode(corpus[2]!)).toEqual(t.encode(corpus[2]!));
    expect(hf.decode(t.encode(corpus[1]!))).toBe(corpus[1]);
  });

  it('refuses a vocabulary smaller than bytes + specials and an empty corpus', async () => {
    await expect(trainBpe(corpus, { vocabSize: 100 })).rejects.toThrow(/vocabSize/);
    await expect(trainBpe([])).rejects.toThrow(DataFormatError);
  });
});

describe('corpus reader', () => {
  it('splits lines across arbitrary chunk boundaries, NFC-normalises and cuts long lines', () => {
    const text = 'e\u0301te\u0301\r\nline two\n\nl'.concat('x'.repeat(50));
    const bytes = new TextEncoder().encode(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 6 }), (cuts) => {
        const pts = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = pts.slice(1).map((p, i) => bytes.slice(pts[i], p));
        expect(decodeLines(chunks, 'f', 1000)).toEqual(['été', 'line two', '', `l${'x'.repeat(50)}`]);
        expect(decodeLines(chunks, 'f', 20).join('')).toBe(text.normalize('NFC').replace(/\r?\n/g, ''));
      }),
    );
  });

  it('fuzz: arbitrary bytes either decode losslessly or fail with a DataFormatError naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (bytes, size) => {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
        let strict: string | undefined;
        try {
          strict = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          strict = undefined;
        }
        if (strict === undefined) {
          expect(() => decodeLines(chunks, 'bad.txt')).toThrow(/bad\.txt: invalid UTF-8/);
        } else {
          const lines = decodeLines(chunks, 'ok.txt', 16);
          const ref = strict
            .split('\n')
            .map((l) => l.replace(/\r$/, ''))
            .join('');
          expect(lines.join('').normalize('NFC')).toBe(ref.normalize('NFC'));
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(16);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('names the file with invalid UTF-8 and rejects an empty corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
    await writeFile(join(dir, 'a.txt'), 'fine\n');
    await writeFile(join(dir, 'b.txt'), Buffer.from([0x68, 0x69, 0xff, 0x0a]));
    const read = async (paths: string[]) => {
      const out: string[] = [];
      for await (const { line } of readCorpusLines(paths)) out.push(line);
      return out;
    };
    await expect(read([dir])).rejects.toThrow(/b\.txt: invalid UTF-8/);
    await writeFile(join(dir, 'b.txt'), '\n\n');
    await writeFile(join(dir, 'a.txt'), '  \n');
    await expect(read([dir])).rejects.toThrow(DataFormatError);
    await expect(read([join(dir, 'missing.txt')])).rejects.toThrow(/missing\.txt/);
  });
});
