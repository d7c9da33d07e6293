/**
 * Feature locations of GenBank/EMBL/DDBJ feature tables (INSDC feature table definition, §3.4)
 * and GFF3, as a list of strand-aware segments in the order the feature's sequence reads.
 */
import { reverseComplement } from '../encode/reverse-complement.js';

/** One contiguous piece of a feature: 1-based inclusive coordinates on the record. */
export interface Segment {
  start: number;
  end: number;
  /** 1: as written; -1: the reverse complement of [start, end]. */
  strand: 1 | -1;
}

/** Segments in reading order: the feature's sequence is their concatenation. */
export type FeatureLocation = Segment[];

/**
 * Parses an INSDC location: `a..b`, `a`, `<a..>b` (partial ends are kept as plain bounds),
 * `complement(...)`, `join(...)`, `order(...)` (read as join). Returns undefined for what
 * cannot be cut from this record alone (`a^b` sites, references into other entries).
 */
export function parseInsdcLocation(text: string): FeatureLocation | undefined {
  const s = text.replace(/\s+/g, '');
  let pos = 0;
  const fail = (): never => {
    throw new LocationSyntaxError(`bad location '${text}' at character ${pos + 1}`);
  };
  const parse = (): FeatureLocation | undefined => {
    for (const op of ['complement(', 'join(', 'order(']) {
      if (s.startsWith(op, pos)) {
        pos += op.length;
        const parts: (FeatureLocation | undefined)[] = [parse()];
        while (s[pos] === ',') {
          pos++;
          parts.push(parse());
        }
        if (s[pos] !== ')') fail();
        pos++;
        if (parts.some((p) => p === undefined)) return undefined;
        const flat = (parts as FeatureLocation[]).flat();
        if (op === 'complement(') {
          return flat
            .reverse()
            .map((g) => ({ start: g.start, end: g.end, strand: (g.strand === 1 ? -1 : 1) as 1 | -1 }));
        }
        return flat;
      }
    }
    const m = /^([A-Za-z0-9_.]+:)?<?(\d+)(?:(\.\.|\^|\.)>?(\d+))?>?/.exec(s.slice(pos));
    if (!m) fail();
    pos += m![0].length;
    if (m![1] || m![3] === '^' || m![3] === '.') return undefined;
    const a = Number(m![2]);
    const b = m![4] === undefined ? a : Number(m![4]);
    if (a < 1 || b < a) throw new LocationSyntaxError(`bad range ${a}..${b} in location '${text}'`);
    return [{ start: a, end: b, strand: 1 }];
  };
  const loc = parse();
  if (pos !== s.length) fail();
  return loc;
}

/** A location that does not follow the INSDC grammar (callers add file and line). */
export class LocationSyntaxError extends Error {}

/** The sequence a location reads on `sequence` (segments cut, reverse-complemented where -1). */
export function extractLocation(sequence: string, location: FeatureLocation): string {
  let out = '';
  for (const g of location) {
    const piece = sequence.slice(g.start - 1, g.end);
    out += g.strand === 1 ? piece : reverseComplement(piece);
  }
  return out;
}

/** Total bases a location covers. */
export function locationLength(location: FeatureLocation): number {
  return location.reduce((n, g) => n + g.end - g.start + 1, 0);
}
