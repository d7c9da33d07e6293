/**
 * Streaming GenBank flat-file reader (multi-record, plain or gzip): the LOCUS name, the feature
 * table (key, location, qualifiers) and the ORIGIN sequence of each record, enough to cut
 * labelled regions (CDS, gene, ...) with {@link extractLocation}. Headers other than LOCUS,
 * DEFINITION and FEATURES are skipped. Errors name the file and the line.
 */
import { DataFormatError } from '@autodidact/core';
import type { SequenceReadOptions } from './fasta.js';
import { parseLineRecords, streamLineRecords } from './line-records.js';
import { type FeatureLocation, LocationSyntaxError, parseInsdcLocation } from './location.js';
import { SequenceLineParser } from './sequence-line-parser.js';

/** One feature of a GenBank feature table. */
export interface GenBankFeature {
  /** Feature key: `CDS`, `gene`, `source`, ... */
  type: string;
  /** Raw location text as written. */
  locationText: string;
  /** Parsed segments; undefined when the location points outside the record (`a^b`, other entries). */
  location: FeatureLocation | undefined;
  /** Qualifier values by name (`/gene="wzi"` -> `{ gene: ['wzi'] }`; flags get `''`). */
  qualifiers: Record<string, string[]>;
  /** Line of the feature key. */
  line: number;
}

/** One GenBank record. */
export interface GenBankRecord {
  /** LOCUS name. */
  id: string;
  /** DEFINITION text. */
  description: string;
  /** Upper-case sequence from ORIGIN (IUPAC policy applied). */
  sequence: string;
  features: GenBankFeature[];
  /** Line of the LOCUS header. */
  line: number;
}

type Section = 'none' | 'header' | 'definition' | 'features' | 'origin';

/** Line-at-a-time GenBank state machine shared by {@link readGenBank} and {@link parseGenBank}. */
export class GenBankParser extends SequenceLineParser {
  private section: Section = 'none';
  private rec: GenBankRecord | undefined;
  private seq: string[] = [];
  private feature: GenBankFeature | undefined;
  private qualifier: { name: string; value: string; open: boolean } | undefined;
  private seen = 0;

  constructor(file: string, options: SequenceReadOptions = {}) {
    super(file, options);
  }

  private error(message: string, line = this.lineNo): never {
    throw new DataFormatError(`line ${line}: ${message}`, { file: this.file });
  }

  /** Feeds the next line; returns the record it completed (at `//`), if any. */
  push(rawLine: string): GenBankRecord | undefined {
    const line = this.nextLine(rawLine);
    if (line.startsWith('LOCUS')) {
      if (this.rec) this.error(`LOCUS before the '//' ending record '${this.rec.id}'`);
      const name = line.slice(5).trim().split(/\s+/)[0];
      if (!name) this.error('LOCUS line without a name');
      this.rec = { id: name!, description: '', sequence: '', features: [], line: this.lineNo };
      this.section = 'header';
      return undefined;
    }
    if (line.startsWith('//')) {
      if (!this.rec) this.error("'//' without a LOCUS record");
      this.endFeature();
      const rec = this.rec!;
      rec.sequence = this.seq.join('');
      for (const f of rec.features) {
        const last = f.location?.reduce((m, g) => Math.max(m, g.end), 0) ?? 0;
        if (rec.sequence.length > 0 && last > rec.sequence.length) {
          this.error(
            `feature ${f.type} at ${f.locationText} ends at ${last}, past the sequence of ${rec.sequence.length} bases`,
            f.line,
          );
        }
      }
      this.rec = undefined;
      this.seq = [];
      this.section = 'none';
      this.seen++;
      return rec;
    }
    if (line.trim() === '') return undefined;
    if (!this.rec) this.error(`expected a LOCUS line, got '${line.slice(0, 20)}'`);
    const rec = this.rec!;
    if (/^[A-Z]/.test(line)) {
      this.endFeature();
      const key = line.split(/\s+/)[0]!;
      this.section =
        key === 'FEATURES' ? 'features' : key === 'ORIGIN' ? 'origin' : key === 'DEFINITION' ? 'definition' : 'header';
      if (key === 'DEFINITION') rec.description = line.slice(12).trim();
      return undefined;
    }
    switch (this.section) {
      case 'definition':
        rec.description += ` ${line.trim()}`;
        return undefined;
      case 'features':
        this.featureLine(line);
        return undefined;
      case 'origin': {
        const m = /^\s*\d+/.exec(line);
        if (!m) this.error('ORIGIN line must start with a base position');
        const bases = ' '.repeat(m![0].length) + line.slice(m![0].length);
        this.seq.push(this.bases(bases));
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private featureLine(line: string): void {
    const rec = this.rec!;
    const key = line.slice(0, 21);
    const rest = line.slice(21);
    if (key.trim() !== '') {
      // A new feature: key in columns 6-20, location from column 22.
      this.endFeature();
      const type = key.trim();
      if (!/^ {5}\S/.test(key)) this.error('feature key must start in column 6');
      this.feature = { type, locationText: rest.trim(), location: undefined, qualifiers: {}, line: this.lineNo };
      rec.features.push(this.feature);
      return;
    }
    if (!this.feature) this.error('qualifier line before any feature key');
    const f = this.feature!;
    const text = rest.trimEnd();
    if (this.qualifier?.open) {
      this.qualifier.value += (this.qualifier.name === 'translation' ? '' : ' ') + text.trim();
      if (countQuotes(text) % 2 === 1) this.closeQualifier();
      return;
    }
    if (text.startsWith('/')) {
      this.closeQualifier();
      const m = /^\/([A-Za-z_0-9-]+)(?:=(.*))?$/.exec(text);
      if (!m) this.error(`malformed qualifier '${text.slice(0, 40)}'`);
      const value = m![2] ?? '';
      const open = value.startsWith('"') && countQuotes(value) % 2 === 1;
      this.qualifier = { name: m![1]!, value, open };
      if (!open) this.closeQualifier();
      return;
    }
    if (Object.keys(f.qualifiers).length === 0 && !this.qualifier) {
      f.locationText += text.trim(); // location continued on the next line
      return;
    }
    this.error(`unexpected line in the feature table: '${text.slice(0, 40)}'`);
  }

  private closeQualifier(): void {
    const q = this.qualifier;
    if (!q || !this.feature) return;
    let v = q.value;
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/""/g, '"');
    const values = this.feature.qualifiers[q.name] ?? [];
    values.push(v);
    this.feature.qualifiers[q.name] = values;
    this.qualifier = undefined;
  }

  private endFeature(): void {
    if (this.qualifier?.open) this.error(`unterminated quoted value of /${this.qualifier.name}`);
    this.closeQualifier();
    const f = this.feature;
    if (f) {
      try {
        f.location = parseInsdcLocation(f.locationText);
      } catch (err) {
        if (err instanceof LocationSyntaxError) this.error(err.message, f.line);
        throw err;
      }
    }
    this.feature = undefined;
  }

  /** Ends the input: an unterminated record or an input without records is an error. */
  end(): undefined {
    if (this.rec) this.error(`record '${this.rec.id}' has no closing '//'`, this.rec.line);
    if (this.seen === 0) throw new DataFormatError('no GenBank records (expected a LOCUS line)', { file: this.file });
    return undefined;
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '"') n++;
  return n;
}

/** Records of a GenBank file (plain or gzip), streamed. */
export function readGenBank(path: string, options: SequenceReadOptions = {}): AsyncGenerator<GenBankRecord> {
  return streamLineRecords(path, new GenBankParser(path, options));
}

/** Records of GenBank text held in memory (`file` names it in errors). */
export function parseGenBank(text: string, file = '<text>', options: SequenceReadOptions = {}): GenBankRecord[] {
  return parseLineRecords(text, new GenBankParser(file, options));
}
