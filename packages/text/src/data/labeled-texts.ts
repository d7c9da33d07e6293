/**
 * Labelled text: a folder with one subfolder per class holding `.txt` files (one sample per
 * file), or a JSONL file of `{"text": ..., "label": ...}` lines. Class names are sorted so the
 * label ids do not depend on the file system's order.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '@autodidact/core';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';

/** Texts, integer labels and class names. */
export interface LabeledTexts {
  texts: string[];
  labels: Int32Array;
  classNames: string[];
  /** Files or JSONL lines skipped as unreadable (with `skipCorrupt`). */
  skipped: number;
}

/** Reads a class-folder tree or a `.jsonl` file. */
export async function readLabeledTexts(
  path: string,
  options: { limit?: number; skipCorrupt?: boolean } = {},
): Promise<LabeledTexts> {
  const s = await stat(path).catch((cause) => {
    throw new DataFormatError('no such file or folder', { file: path, cause });
  });
  return s.isDirectory() ? readClassFolders(path, options) : readJsonl(path, options);
}

async function readJsonl(path: string, o: { limit?: number; skipCorrupt?: boolean }): Promise<LabeledTexts> {
  const texts: string[] = [];
  const raw: string[] = [];
  let skipped = 0;
  let n = 0;
  for await (const line of readFileLines(path, Number.MAX_SAFE_INTEGER)) {
    n++;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (cause) {
      if (o.skipCorrupt) {
        skipped++;
        continue;
      }
      throw new DataFormatError(`line ${n}: not JSON`, { file: path, cause });
    }
    const r = rec as { text?: unknown; label?: unknown };
    if (typeof r.text !== 'string' || (typeof r.label !== 'string' && typeof r.label !== 'number')) {
      if (o.skipCorrupt) {
        skipped++;
        continue;
      }
      throw new DataFormatError(`line ${n}: expected {"text": string, "label": string|number}`, { file: path });
    }
    texts.push(r.text.normalize('NFC'));
    raw.push(String(r.label));
    if (o.limit !== undefined && texts.length >= o.limit) break;
  }
  if (texts.length === 0) throw new DataFormatError('no labelled records', { file: path });
  const classNames = [...new Set(raw)].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { texts, labels: Int32Array.from(raw.map((l) => index.get(l)!)), classNames, skipped };
}

async function readClassFolders(path: string, o: { limit?: number; skipCorrupt?: boolean }): Promise<LabeledTexts> {
  const classNames: string[] = [];
  for (const name of (await readdir(path)).sort())
    if ((await stat(join(path, name))).isDirectory()) classNames.push(name);
  if (classNames.length === 0) throw new DataFormatError('expected one subfolder per class', { file: path });
  // Interleave classes so a limit keeps every class.
  const perClass = await Promise.all(classNames.map((c) => listCorpusFiles([join(path, c)])));
  const texts: string[] = [];
  const labels: number[] = [];
  let skipped = 0;
  const longest = Math.max(...perClass.map((f) => f.length));
  outer: for (let i = 0; i < longest; i++) {
    for (let c = 0; c < classNames.length; c++) {
      const file = perClass[c]![i];
      if (!file) continue;
      try {
        const lines: string[] = [];
        for await (const l of readFileLines(file)) lines.push(l);
        texts.push(lines.join('\n'));
        labels.push(c);
      } catch (e) {
        if (o.skipCorrupt && e instanceof DataFormatError) skipped++;
        else throw e;
      }
      if (o.limit !== undefined && texts.length >= o.limit) break outer;
    }
  }
  if (texts.length === 0) throw new DataFormatError('no readable .txt files in the class folders', { file: path });
  return { texts, labels: Int32Array.from(labels), classNames, skipped };
}
