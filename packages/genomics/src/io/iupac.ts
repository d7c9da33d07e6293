/**
 * IUPAC nucleotide codes (Cornish-Bowden 1985, NC-IUB recommendations) and the policy that
 * decides what happens to ambiguity codes (N and friends) when sequences are read.
 */
import { DataFormatError, type Rng } from '@autodidact/core';

/** The four unambiguous bases, in the order one-hot channels use. */
export const BASES = 'ACGT';

/** Every IUPAC nucleotide code, upper case, and the bases it stands for (U reads as T). */
export const IUPAC_CODES: Readonly<Record<string, string>> = {
  A: 'A',
  C: 'C',
  G: 'G',
  T: 'T',
  U: 'T',
  R: 'AG',
  Y: 'CT',
  S: 'CG',
  W: 'AT',
  K: 'GT',
  M: 'AC',
  B: 'CGT',
  D: 'AGT',
  H: 'ACT',
  V: 'ACG',
  N: 'ACGT',
};

/**
 * What to do with ambiguity codes (anything but A, C, G, T, U):
 * - `error`: a DataFormatError naming the file and line;
 * - `as-N`: keep them as `N` (one-hot: all zeros);
 * - `replace-random`: replace each with one of the bases it stands for, drawn from a seeded Rng;
 * - `skip-window`: keep them as `N`, and window extraction drops every window containing one.
 * Symbols that are not IUPAC codes at all (digits, `X`, `*`, `-`) are always an error.
 */
export type IupacPolicy = 'error' | 'skip-window' | 'replace-random' | 'as-N';

/** The policies, for option checking. */
export const IUPAC_POLICIES: readonly IupacPolicy[] = ['error', 'skip-window', 'replace-random', 'as-N'];

/**
 * Upper-cases one line of sequence and applies the ambiguity policy; `U` becomes `T`; spaces and
 * tabs are dropped (columns in messages count them, so they match the file).
 * @param rng draws replacements for `replace-random` (required for that policy)
 * @throws DataFormatError naming `file` and `lineNo` for a non-IUPAC symbol, or for any
 * ambiguity code under the `error` policy
 */
export function normaliseSequenceLine(
  line: string,
  policy: IupacPolicy,
  file: string,
  lineNo: number,
  rng?: Rng,
): string {
  const up = line.toUpperCase();
  if (/^[ACGT]*$/.test(up)) return up;
  let out = '';
  for (let i = 0; i < up.length; i++) {
    const c = up[i]!;
    if (c === ' ' || c === '\t') continue; // GenBank groups bases in tens; columns stay true
    if (c === 'A' || c === 'C' || c === 'G' || c === 'T') {
      out += c;
      continue;
    }
    const bases = IUPAC_CODES[c];
    if (bases === undefined) {
      throw new DataFormatError(
        `line ${lineNo}, column ${i + 1}: '${printable(line[i]!)}' is not an IUPAC nucleotide code (expected one of ${Object.keys(IUPAC_CODES).join('')})`,
        { file, reason: 'corrupt' },
      );
    }
    if (bases.length === 1) {
      out += bases;
      continue;
    }
    switch (policy) {
      case 'error':
        throw new DataFormatError(
          `line ${lineNo}, column ${i + 1}: ambiguity code '${c}' (iupac policy 'error'; use 'as-N', 'skip-window' or 'replace-random' to accept it)`,
          { file, reason: 'corrupt' },
        );
      case 'replace-random':
        if (!rng) throw new DataFormatError(`iupac policy 'replace-random' needs an Rng`, { file });
        out += bases[rng.int(bases.length)];
        break;
      default:
        out += 'N';
    }
  }
  return out;
}

/** The character, or its code point when it would not print. */
function printable(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 32 || code === 127 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}
