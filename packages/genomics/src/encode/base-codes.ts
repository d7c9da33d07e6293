/**
 * DNA as base codes: one byte per position, 0..3 for A, C, G, T (the one-hot channel order)
 * and 4 for N (any ambiguity that survived the IUPAC policy).
 */

/** Code of an unknown base. */
export const N_CODE = 4;

const TABLE = (() => {
  const t = new Uint8Array(256).fill(N_CODE);
  t['A'.charCodeAt(0)] = 0;
  t['C'.charCodeAt(0)] = 1;
  t['G'.charCodeAt(0)] = 2;
  t['T'.charCodeAt(0)] = 3;
  t['a'.charCodeAt(0)] = 0;
  t['c'.charCodeAt(0)] = 1;
  t['g'.charCodeAt(0)] = 2;
  t['t'.charCodeAt(0)] = 3;
  return t;
})();

/** Base codes of a sequence, `[length]`: ACGT -> 0..3 (either case), anything else -> 4. */
export function encodeBases(sequence: string): Uint8Array {
  const out = new Uint8Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) out[i] = TABLE[sequence.charCodeAt(i) & 255]!;
  return out;
}

/** The sequence of base codes (`ACGTN`). */
export function decodeBases(codes: Uint8Array): string {
  let s = '';
  for (const c of codes) s += 'ACGTN'[c] ?? 'N';
  return s;
}
