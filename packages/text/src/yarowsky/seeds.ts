/**
 * Seed collocations, one sense per line: `<sense name><TAB or spaces><word> [<word> ...]`
 * (`#` starts a comment). A bare word seeds the wide window (`W:word`), as Yarowsky's "life"
 * and "manufacturing" for *plant*; a feature written out (`L1:the`, `R1:closed`) seeds exactly
 * that collocation.
 */
import { readFile } from 'node:fs/promises';
import { DataFormatError } from '@autodidact/core';

/** Sense names and, index-aligned, their seed features. */
export interface Seeds {
  senses: string[];
  features: string[][];
}

/** Parses the seed file format. */
export function parseSeeds(text: string, file = 'seeds'): Seeds {
  const senses: string[] = [];
  const features: string[][] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [sense, ...rest] = line.split(/\s+/);
    if (!sense || rest.length === 0)
      throw new DataFormatError(`line ${n + 1}: expected '<sense> <seed word> [...]'`, { file });
    let k = senses.indexOf(sense);
    if (k < 0) {
      k = senses.length;
      senses.push(sense);
      features.push([]);
    }
    for (const w of rest) features[k]!.push(/^(L1|R1|L2L1|L1R1|R1R2|W):/.test(w) ? w : `W:${w.toLowerCase()}`);
  });
  if (senses.length < 2)
    throw new DataFormatError(`expected seeds for at least two senses, found ${senses.length}`, { file });
  return { senses, features };
}

/** Reads and parses a seed file. */
export async function readSeeds(path: string): Promise<Seeds> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DataFormatError('cannot read the seed file', { file: path, cause });
  }
  return parseSeeds(text, path);
}
