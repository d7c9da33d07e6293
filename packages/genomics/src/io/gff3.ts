/**
 * Streaming GFF3 reader (Sequence Ontology GFF3 specification 1.26): nine tab-separated
 * columns per feature, percent-encoded `key=value;...` attributes, `#` comments and `##`
 * directives; an embedded `##FASTA` section is returned as sequences. Coordinates are 1-based
 * inclusive. Errors name the file and the line.
 */
import { DataFormatError } from '@autodidact/core';
import { FastaParser, type SequenceReadOptions, type SequenceRecord } from './fasta.js';
import type { FeatureLocation } from './location.js';
import { readLines } from '#read-lines';

/** One GFF3 feature line. */
export interface Gff3Feature {
  seqid: string;
  source: string;
  type: string;
  /** 1-based inclusive. */
  start: number;
  end: number;
  score: number | undefined;
  strand: '+' | '-' | '.' | '?';
  phase: 0 | 1 | 2 | undefined;
  /** Decoded attributes; multiple values split at commas. */
  attributes: Record<string, string[]>;
  line: number;
}

/** A GFF3 file: its features and any sequences of its `##FASTA` section. */
export interface Gff3File {
  features: Gff3Feature[];
  sequences: SequenceRecord[];
}

/** Line-at-a-time GFF3 state machine shared by {@link readGff3} and {@link parseGff3}. */
export class Gff3Parser {
  private lineNo = 0;
  private fasta: FastaParser | undefined;
  readonly result: Gff3File = { features: [], sequences: [] };

  constructor(
    private readonly file: string,
    private readonly options: SequenceReadOptions = {},
  ) {}

  private error(message: string): never {
    throw new DataFormatError(`line ${this.lineNo}: ${message}`, { file: this.file });
  }

  /** Feeds the next line. */
  push(rawLine: string): void {
    this.lineNo++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (this.fasta) {
      const rec = this.fasta.push(line);
      if (rec) this.result.sequences.push({ ...rec, line: rec.line + this.fastaOffset });
      return;
    }
    if (line.startsWith('##FASTA')) {
      this.fasta = new FastaParser(this.file, this.options);
      this.fastaOffset = this.lineNo;
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 9) this.error(`expected 9 tab-separated columns, got ${cols.length}`);
    const [seqid, source, type, s, e, score, strand, phase, attrs] = cols as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!/^\d+$/.test(s) || !/^\d+$/.test(e)) this.error(`start and end must be integers, got '${s}' and '${e}'`);
    const start = Number(s);
    const end = Number(e);
    if (start < 1 || end < start) this.error(`expected 1 <= start <= end, got ${start}..${end}`);
    if (!['+', '-', '.', '?'].includes(strand)) this.error(`strand must be one of + - . ?, got '${strand}'`);
    if (!['0', '1', '2', '.'].includes(phase)) this.error(`phase must be 0, 1, 2 or ., got '${phase}'`);
    const sc = score === '.' ? undefined : Number(score);
    if (sc !== undefined && !Number.isFinite(sc)) this.error(`score must be a number or '.', got '${score}'`);
    this.result.features.push({
      seqid: decode(seqid),
      source: decode(source),
      type: decode(type),
      start,
      end,
      score: sc,
      strand: strand as Gff3Feature['strand'],
      phase: phase === '.' ? undefined : (Number(phase) as 0 | 1 | 2),
      attributes: this.attributes(attrs),
      line: this.lineNo,
    });
  }

  private fastaOffset = 0;

  private attributes(text: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (text === '.' || text === '') return out;
    for (const part of text.split(';')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) this.error(`attribute '${part.slice(0, 40)}' is not key=value`);
      out[decode(part.slice(0, eq).trim())] = part
        .slice(eq + 1)
        .split(',')
        .map((v) => decode(v));
    }
    return out;
  }

  /** Ends the input and returns what was read. */
  end(): Gff3File {
    if (this.fasta) {
      const last = this.fasta.end();
      if (last) this.result.sequences.push({ ...last, line: last.line + this.fastaOffset });
    }
    return this.result;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a GFF3 file (plain or gzip) line by line. */
export async function readGff3(path: string, options: SequenceReadOptions = {}): Promise<Gff3File> {
  const parser = new Gff3Parser(path, options);
  for await (const line of readLines(path)) parser.push(line);
  return parser.end();
}

/** Parses GFF3 text held in memory (`file` names it in errors). */
export function parseGff3(text: string, file = '<text>', options: SequenceReadOptions = {}): Gff3File {
  const parser = new Gff3Parser(file, options);
  for (const line of text.split('\n')) parser.push(line);
  return parser.end();
}

/** A GFF3 feature's location (one segment; `-` strand reads the reverse complement). */
export function gff3Location(f: Gff3Feature): FeatureLocation {
  return [{ start: f.start, end: f.end, strand: f.strand === '-' ? -1 : 1 }];
}
