/**
 * Streaming FASTA reader (multi-record, plain or gzip). A record is a `>` header line (id up to
 * the first whitespace, the rest is the description) followed by sequence lines of any width.
 * Blank lines are ignored, `;` comment lines (old FASTA) too. Sequence symbols go through the
 * IUPAC policy (see iupac.ts); malformed input is a DataFormatError with file and line number.
 */
import { type BadFileReason, DataFormatError } from '@autodidact/core';
import type { IupacPolicy } from './iupac.js';
import { parseLineRecords, streamLineRecords } from './line-records.js';
import { SequenceLineParser } from './sequence-line-parser.js';

/** One sequence record. */
export interface SequenceRecord {
  /** Header up to the first whitespace. */
  id: string;
  /** Header after the id (may be empty). */
  description: string;
  /** Upper-case sequence over ACGT (and N, unless the policy removed ambiguity codes). */
  sequence: string;
  /** Line number (1-based) of the record's header, for messages. */
  line: number;
}

/** Options of the sequence readers. */
export interface SequenceReadOptions {
  /** Ambiguity-code policy. Default `as-N`. */
  iupac?: IupacPolicy;
  /** Seed of `replace-random` replacements. Default 0. */
  seed?: number;
  /** Accept records with an empty sequence instead of failing. Default false. */
  allowEmpty?: boolean;
}

/**
 * Line-at-a-time FASTA state machine shared by the file reader and {@link parseFasta}: `push`
 * each line, collect the records it completes, and call `end` after the last line.
 */
export class FastaParser extends SequenceLineParser {
  private header: { id: string; description: string; line: number } | undefined;
  private parts: string[] = [];
  /** Bases of the current record (what `parts` holds, or what went to the sink). */
  private count = 0;
  private seenAny = false;

  /**
   * @param sink when given, each line's bases go to it as they are read (the records returned
   *   then have an empty `sequence`), so a record of any length is never held whole
   */
  constructor(
    file: string,
    private readonly options: SequenceReadOptions = {},
    private readonly sink?: (bases: string) => void,
  ) {
    super(file, options);
  }

  /** Feeds the next line; returns the record it completed, if any. */
  push(rawLine: string): SequenceRecord | undefined {
    const line = this.nextLine(rawLine);
    if (line.startsWith('>')) {
      const done = this.flush();
      const text = line.slice(1).trim();
      const m = /^(\S+)\s*(.*)$/.exec(text);
      if (!m)
        throw new DataFormatError(
          `line ${this.lineNo}: empty FASTA header (expected '>id description')`,
          this.at('corrupt'),
        );
      this.header = { id: m[1]!, description: m[2]!, line: this.lineNo };
      return done;
    }
    const body = line.trim();
    if (body === '' || body.startsWith(';')) return undefined;
    if (!this.header) {
      throw new DataFormatError(
        `line ${this.lineNo}: sequence data before the first '>' header (is this a FASTA file?)`,
        this.at('wrong format'),
      );
    }
    const bases = this.bases(line);
    this.count += bases.length;
    if (this.sink) this.sink(bases);
    else this.parts.push(bases);
    return undefined;
  }

  /** Ends the input; returns the last record. An input without any record is an error. */
  end(): SequenceRecord | undefined {
    const last = this.flush(true);
    if (last === undefined && !this.seenAny) {
      throw new DataFormatError('no FASTA records (expected a line starting with >)', this.at('wrong format'));
    }
    return last;
  }

  private flush(atEnd = false): SequenceRecord | undefined {
    if (!this.header) return undefined;
    const sequence = this.parts.join('');
    const length = this.count;
    const h = this.header;
    this.header = undefined;
    this.parts = [];
    this.count = 0;
    if (length === 0 && !this.options.allowEmpty) {
      // A header with nothing after it at the end of the file: the file was cut short.
      throw new DataFormatError(
        `line ${h.line}: record '${h.id}' has no sequence${atEnd ? ' (the file ends after its header)' : ''}`,
        this.at(atEnd ? 'truncated' : 'corrupt'),
      );
    }
    this.seenAny = true;
    return { id: h.id, description: h.description, sequence, line: h.line };
  }

  private at(reason?: BadFileReason): { file: string; reason?: BadFileReason } {
    return { file: this.file, reason };
  }
}

/** Records of a FASTA file (plain or gzip), streamed. */
export function readFasta(path: string, options: SequenceReadOptions = {}): AsyncGenerator<SequenceRecord> {
  return streamLineRecords(path, new FastaParser(path, options));
}

/** Records of FASTA text held in memory (`file` names it in errors). */
export function parseFasta(text: string, file = '<text>', options: SequenceReadOptions = {}): SequenceRecord[] {
  return parseLineRecords(text, new FastaParser(file, options));
}
