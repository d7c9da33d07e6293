/**
 * Occurrences of a target word in a corpus, each with its collocational features as Yarowsky
 * (1995) used them: the word just left (`L1:`) and right (`R1:`), the pairs around it
 * (`L2L1:`, `L1R1:`, `R1R2:`), and every content word within ±k (`W:`, function words left out). Files are streamed line by
 * line; each occurrence records its file and word position, from which one-sense-per-discourse
 * forms its discourses (the whole file, or blocks of a fixed number of words).
 */
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';
import type { Occurrence } from './occurrence.js';
import { STOPWORDS } from './stopwords.js';

export type { Occurrence } from './occurrence.js';

/** Lower-case word tokens of a line (letters, with inner apostrophes). */
export function words(line: string): string[] {
  return line.toLowerCase().match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? [];
}

/** Features of the word at `i` of `w` (the target word, wherever it recurs, excluded from its window). */
export function collocations(w: readonly string[], i: number, window: number): string[] {
  const at = (j: number) => (j >= 0 && j < w.length ? w[j]! : j < 0 ? '<s>' : '</s>');
  const f = new Set<string>([
    `L1:${at(i - 1)}`,
    `R1:${at(i + 1)}`,
    `L2L1:${at(i - 2)}_${at(i - 1)}`,
    `L1R1:${at(i - 1)}_${at(i + 1)}`,
    `R1R2:${at(i + 1)}_${at(i + 2)}`,
  ]);
  // Other occurrences of the target itself are left out of the window: their sense is the
  // unknown, so as evidence they only echo whichever sense labels them first (a pseudo-word's
  // token near itself swallowed a whole corpus into one sense).
  for (let j = Math.max(0, i - window); j <= Math.min(w.length - 1, i + window); j++)
    if (w[j] !== w[i] && !STOPWORDS.has(w[j]!)) f.add(`W:${w[j]}`);
  return [...f];
}

/** Options of {@link findOccurrences}. */
export interface OccurrenceOptions {
  /** Half-width of the `W:` window in words. Default 10. */
  window?: number;
  /** Surface forms counted as the target (e.g. `plant`, `plants`). */
  forms: readonly string[];
  /** Words of context kept for display on each side. Default 8. */
  showWords?: number;
  /** Words replaced before features are taken (pseudo-words: both originals -> the pseudo token). */
  replace?: ReadonlyMap<string, string>;
}

/**
 * All occurrences of any of `forms` in the corpus. The word list of one file is held while it
 * is read (files, not the corpus, are the unit of memory).
 */
export async function findOccurrences(
  paths: readonly string[],
  o: OccurrenceOptions,
): Promise<{ occurrences: Occurrence[]; files: string[] }> {
  const files = await listCorpusFiles(paths);
  const forms = new Set(o.forms.map((f) => f.toLowerCase()));
  const window = o.window ?? 10;
  const show = o.showWords ?? 8;
  const occurrences: Occurrence[] = [];
  for (const [doc, file] of files.entries()) {
    const w: string[] = [];
    for await (const line of readFileLines(file)) for (const x of words(line)) w.push(x);
    const seen = o.replace ? w.map((x) => o.replace!.get(x) ?? x) : w;
    for (let i = 0; i < w.length; i++) {
      if (!forms.has(w[i]!)) continue;
      occurrences.push({
        doc,
        position: i,
        features: collocations(seen, i, window),
        context: `${seen.slice(Math.max(0, i - show), i).join(' ')} [${seen[i]}] ${seen.slice(i + 1, i + 1 + show).join(' ')}`,
        surface: w[i]!,
      });
    }
  }
  return { occurrences, files };
}
