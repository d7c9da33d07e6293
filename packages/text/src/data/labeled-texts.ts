/**
 * Labelled text: a folder with one subfolder per class holding `.txt` files (one sample per
 * file), or a JSONL file of `{"text": ..., "label": ...}` lines. Class names are sorted so the
 * label ids do not depend on the file system's order. Bad files (and bad JSONL lines) follow
 * core's one policy: skipped with a warning and counted, or a stop with `strict`.
 */
import { stat } from 'node:fs/promises';
import { BadFiles, checkDataFile, DataFormatError, readDirEntries } from '@autodidact/core';
import { listCorpusFiles, readFileLines } from '../tokenize/corpus-reader.js';

/** Texts, integer labels and class names. */
export interface LabeledTexts {
  texts: string[];
  labels: Int32Array;
  classNames: string[];
  /** Files or JSONL lines skipped as unreadable. */
  skipped: number;
  /** The files the texts were read from (the class-folder files read, or the JSONL file). */
  files: string[];
}

/** Options of {@link readLabeledTexts}. */
export interface ReadLabeledTextsOptions {
  limit?: number;
  /** Skip unreadable files and JSONL lines instead of failing on the first. Default false. */
  skipCorrupt?: boolean;
  /** The bad-file policy for files (overrides `skipCorrupt`); JSONL lines get one of their own with its strictness and log. */
  badFiles?: BadFiles;
  /** Where warnings about skipped JSONL lines go. */
  log?: (line: string) => void;
  /** File extensions read in class folders. Default `['.txt']`. */
  extensions?: readonly string[];
}

/** Reads a class-folder tree or a `.jsonl` file. */
export async function readLabeledTexts(path: string, options: ReadLabeledTextsOptions = {}): Promise<LabeledTexts> {
  const s = await stat(path).catch((cause) => {
    throw new DataFormatError('no such file or folder', { file: path, cause });
  });
  const bad = options.badFiles ?? new BadFiles({ strict: !options.skipCorrupt, log: options.log });
  return s.isDirectory() ? readClassFolders(path, options, bad) : readJsonl(path, options, bad);
}

async function readJsonl(path: string, o: ReadLabeledTextsOptions, files: BadFiles): Promise<LabeledTexts> {
  checkDataFile(path);
  const bad = new BadFiles({ strict: files.strict, log: o.log, unit: 'lines' });
  const texts: string[] = [];
  const raw: string[] = [];
  let n = 0;
  for await (const line of readFileLines(path, Number.MAX_SAFE_INTEGER)) {
    n++;
    if (line.trim() === '') continue;
    bad.consider();
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (cause) {
      bad.skip(new DataFormatError(`line ${n}: not JSON`, { file: path, cause, reason: 'wrong format' }));
      continue;
    }
    const r = rec as { text?: unknown; label?: unknown };
    if (typeof r.text !== 'string' || (typeof r.label !== 'string' && typeof r.label !== 'number')) {
      bad.skip(
        new DataFormatError(`line ${n}: expected {"text": string, "label": string|number}`, {
          file: path,
          reason: 'wrong format',
        }),
      );
      continue;
    }
    texts.push(r.text.normalize('NFC'));
    raw.push(String(r.label));
    if (o.limit !== undefined && texts.length >= o.limit) break;
  }
  bad.assertAnyRead(path, texts.length);
  if (texts.length === 0) throw new DataFormatError('no labelled records', { file: path });
  bad.report(path);
  const classNames = [...new Set(raw)].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return {
    texts,
    labels: Int32Array.from(raw.map((l) => index.get(l)!)),
    classNames,
    skipped: bad.skipped.length,
    files: [path],
  };
}

async function readClassFolders(path: string, o: ReadLabeledTextsOptions, bad: BadFiles): Promise<LabeledTexts> {
  const classDirs = readDirEntries(path).filter((e) => e.kind === 'dir');
  const classNames = classDirs.map((e) => e.name);
  if (classNames.length === 0) throw new DataFormatError('expected one subfolder per class', { file: path });
  const extensions = o.extensions ?? ['.txt'];
  // Interleave classes so a limit keeps every class.
  const perClass: string[][] = [];
  for (const d of classDirs) perClass.push(await listCorpusFiles([d.path], extensions, { badFiles: bad, log: o.log }));
  const texts: string[] = [];
  const labels: number[] = [];
  const read: string[] = [];
  const skippedBefore = bad.skipped.length;
  const longest = Math.max(...perClass.map((f) => f.length));
  outer: for (let i = 0; i < longest; i++) {
    for (let c = 0; c < classNames.length; c++) {
      const file = perClass[c]![i];
      if (!file) continue;
      const text = await bad.attempt(async () => {
        checkDataFile(file);
        const lines: string[] = [];
        for await (const l of readFileLines(file)) lines.push(l);
        return lines.join('\n');
      });
      if (text === undefined) continue;
      texts.push(text);
      labels.push(c);
      read.push(file);
      if (o.limit !== undefined && texts.length >= o.limit) break outer;
    }
  }
  bad.assertAnyRead(path, texts.length);
  if (texts.length === 0) {
    throw new DataFormatError(`no ${extensions.join(' or ')} files in the class folders`, { file: path });
  }
  return {
    texts,
    labels: Int32Array.from(labels),
    classNames,
    skipped: bad.skipped.length - skippedBefore,
    files: read,
  };
}
