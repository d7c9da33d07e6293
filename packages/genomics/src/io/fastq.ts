/**
 * Streaming FASTQ reader (plain or gzip), four lines per record: `@id description`, the
 * sequence, `+` (optionally repeating the id), and one Phred+33 quality character per base.
 * Multi-line FASTQ (wrapped sequence) is not accepted: it is rare and ambiguous to parse,
 * since `@` may start a quality line. Errors name the file and the line.
 */
import { DataFormatError } from '@autodidact/core';
import type { SequenceReadOptions, SequenceRecord } from './fasta.js';
import { parseLineRecords, streamLineRecords } from './line-records.js';
import { SequenceLineParser } from './sequence-line-parser.js';

/** A FASTQ record: a sequence record plus its base qualities. */
export interface FastqRecord extends SequenceRecord {
  /** Phred quality per base (ASCII code - 33), `[sequence.length]`. */
  quality: Uint8Array;
}

/** Line-at-a-time FASTQ state machine shared by {@link readFastq} and {@link parseFastq}. */
export class FastqParser extends SequenceLineParser {
  private buf: string[] = [];
  private start = 0;
  private seen = 0;

  constructor(file: string, options: SequenceReadOptions = {}) {
    super(file, options);
  }

  /** Feeds the next line; returns the record it completed, if any. */
  push(rawLine: string): FastqRecord | undefined {
    const line = this.nextLine(rawLine);
    if (this.buf.length === 0) {
      if (line.trim() === '') return undefined; // blank lines between records
      if (!line.startsWith('@')) {
        throw new DataFormatError(`line ${this.lineNo}: expected a FASTQ header starting with '@'`, {
          file: this.file,
          reason: this.seen === 0 ? 'wrong format' : 'corrupt',
        });
      }
      this.start = this.lineNo;
    }
    this.buf.push(line);
    if (this.buf.length < 4) return undefined;
    const [header, seq, plus, qual] = this.buf as [string, string, string, string];
    this.buf = [];
    const m = /^@(\S+)\s*(.*)$/.exec(header);
    if (!m) throw new DataFormatError(`line ${this.start}: empty FASTQ header`, { file: this.file, reason: 'corrupt' });
    if (!plus.startsWith('+')) {
      throw new DataFormatError(`line ${this.start + 2}: expected the '+' separator line of record '${m[1]}'`, {
        file: this.file,
        reason: 'corrupt',
      });
    }
    const sequence = this.bases(seq.trim(), this.start + 1);
    if (qual.length !== seq.trim().length) {
      throw new DataFormatError(
        `line ${this.start + 3}: record '${m[1]}' has ${seq.trim().length} bases but ${qual.length} quality values`,
        { file: this.file, reason: 'corrupt' },
      );
    }
    const quality = new Uint8Array(qual.length);
    for (let i = 0; i < qual.length; i++) {
      const q = qual.charCodeAt(i) - 33;
      if (q < 0 || q > 93) {
        throw new DataFormatError(
          `line ${this.start + 3}, column ${i + 1}: quality character outside Phred+33 ('!'..'~')`,
          { file: this.file, reason: 'corrupt' },
        );
      }
      quality[i] = q;
    }
    this.seen++;
    return { id: m[1]!, description: m[2]!, sequence, quality, line: this.start };
  }

  /** Ends the input; a truncated last record is an error, and so is an input without records. */
  end(): undefined {
    if (this.buf.length > 0) {
      throw new DataFormatError(
        `line ${this.start}: truncated FASTQ record (${this.buf.length} of 4 lines before the end of the file)`,
        { file: this.file, reason: 'truncated' },
      );
    }
    if (this.seen === 0) throw new DataFormatError('no FASTQ records', { file: this.file, reason: 'wrong format' });
    return undefined;
  }
}

/** Records of a FASTQ file (plain or gzip), streamed. */
export function readFastq(path: string, options: SequenceReadOptions = {}): AsyncGenerator<FastqRecord> {
  return streamLineRecords(path, new FastqParser(path, options));
}

/** Records of FASTQ text held in memory (`file` names it in errors). */
export function parseFastq(text: string, file = '<text>', options: SequenceReadOptions = {}): FastqRecord[] {
  return parseLineRecords(text, new FastqParser(file, options));
}
