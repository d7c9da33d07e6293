/**
 * Byte-level pre-tokenisation as GPT-2 (Radford et al., 2019) and Hugging Face's `ByteLevel`
 * pre-tokenizer: text is split by the GPT-2 pattern, each piece's UTF-8 bytes are mapped to
 * printable characters (space -> `Ġ`), so every string has a lossless token form and no
 * unknown token is ever needed.
 */

/** GPT-2's split pattern (contractions, letters, digits, other symbols, whitespace runs). */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

function buildByteMap(): { toChar: string[]; toByte: Map<string, number> } {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const toChar: string[] = new Array(256);
  const toByte = new Map<string, number>();
  bs.forEach((b, i) => {
    toChar[b] = String.fromCodePoint(cs[i]!);
    toByte.set(toChar[b]!, b);
  });
  return { toChar, toByte };
}

const MAP = buildByteMap();
const encoder = new TextEncoder();

/** The 256 printable characters standing for bytes 0..255. */
export const BYTE_ALPHABET: readonly string[] = MAP.toChar;

/** Pieces of `text` in byte-level form (`" hello"` -> `"Ġhello"`). */
export function byteLevelPieces(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(GPT2_SPLIT)) {
    let s = '';
    for (const b of encoder.encode(m[0])) s += MAP.toChar[b];
    out.push(s);
  }
  return out;
}

/** Back from byte-level characters to text (invalid UTF-8 sequences become U+FFFD). */
export function fromByteLevel(s: string): string {
  const bytes: number[] = [];
  for (const ch of s) {
    const b = MAP.toByte.get(ch);
    if (b !== undefined) bytes.push(b);
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
}
