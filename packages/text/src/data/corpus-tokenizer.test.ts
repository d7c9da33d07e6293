/**
 * The trained-tokenizer cache: per user (XDG), private modes, keyed by the corpus's content, and
 * verified when read back; a tampered or foreign entry is rebuilt, a folder another user owns is
 * not used.
 */
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@autodidact/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTokenizerCacheDir, tokenizerForCorpus } from './corpus-tokenizer.js';

const LINES = [
  'The committee met on Tuesday to discuss the budget for the coming year.',
  'A plant that makes steel employs three thousand workers in the valley.',
  'She planted tomatoes, beans and a row of sunflowers beside the fence.',
  'The power plant was shut down for maintenance after the storm.',
  'Members of the committee asked for a second report on the budget.',
];

let dir: string;
let corpus: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autodidact-tokcache-'));
  corpus = join(dir, 'corpus');
  await mkdir(corpus);
  for (let i = 0; i < 3; i++) {
    await writeFile(join(corpus, `doc${i}.txt`), Array.from({ length: 20 }, (_, k) => LINES[(i + k) % 5]).join('\n'));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const vocabOf = (t: Awaited<ReturnType<typeof tokenizerForCorpus>>) => JSON.stringify(t.json?.model.vocab);

describe('tokenizerForCorpus cache', () => {
  it('writes a private entry, reads it back unchanged, and retrains a tampered one', async () => {
    const cacheDir = join(dir, 'cache-a');
    const notes: string[] = [];
    const o = { vocabSize: 300, cacheDir, onCacheNote: (m: string) => void notes.push(m) };
    const first = await tokenizerForCorpus([corpus], o);
    const [name] = await readdir(cacheDir);
    const entry = join(cacheDir, name!);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    expect((await stat(entry)).mode & 0o777).toBe(0o600);
    const written = JSON.parse(await readFile(entry, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({
      format: 'autodidact-tokenizer-cache',
      settings: { trainer: 'bpe-v1', vocabSize: 300, maxFiles: null },
      corpus: { files: 3 },
    });
    // A hit: no note, the entry not rewritten, the same vocabulary.
    const mtime = (await stat(entry)).mtimeMs;
    const second = await tokenizerForCorpus([corpus], o);
    expect(notes).toEqual([]);
    expect((await stat(entry)).mtimeMs).toBe(mtime);
    expect(vocabOf(second)).toBe(vocabOf(first));

    // Tampered: a token's id swapped in the stored tokenizer, its checksum left as it was.
    const tampered = JSON.parse(await readFile(entry, 'utf8')) as {
      tokenizer: { model: { vocab: Record<string, number> } };
    };
    const [a, b] = Object.keys(tampered.tokenizer.model.vocab).slice(-2);
    const v = tampered.tokenizer.model.vocab;
    [v[a!], v[b!]] = [v[b!]!, v[a!]!];
    await writeFile(entry, JSON.stringify(tampered));
    const third = await tokenizerForCorpus([corpus], o);
    expect(notes).toEqual([`tokenizer cache ${entry} does not match its checksum; training the tokenizer again`]);
    expect(vocabOf(third)).toBe(vocabOf(first));
    expect(JSON.parse(await readFile(entry, 'utf8'))).toEqual(written); // replaced by the honest one

    // Cut short: rebuilt as well.
    await writeFile(entry, (await readFile(entry, 'utf8')).slice(0, 100));
    const fourth = await tokenizerForCorpus([corpus], o);
    expect(notes.at(-1)).toMatch(/is not valid JSON; training the tokenizer again$/);
    expect(vocabOf(fourth)).toBe(vocabOf(first));
  });

  it('is keyed by content: an edit that keeps the size and the time still gets its own entry', async () => {
    const cacheDir = join(dir, 'cache-b');
    const copy = join(dir, 'corpus-b');
    await mkdir(copy);
    const file = join(copy, 'doc.txt');
    await writeFile(file, LINES.join('\n'));
    await tokenizerForCorpus([copy], { vocabSize: 300, cacheDir });
    const before = await stat(file);
    await writeFile(file, LINES.join('\n').replace('Tuesday', 'Thursda'));
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    await tokenizerForCorpus([copy], { vocabSize: 300, cacheDir });
    expect(await readdir(cacheDir)).toHaveLength(2);
    // Another vocabulary size is another entry too.
    await tokenizerForCorpus([copy], { vocabSize: 280, cacheDir });
    expect(await readdir(cacheDir)).toHaveLength(3);
  });

  it('defaults to $XDG_CACHE_HOME/autodidact/tokenizers with private folders; a group-writable one is narrowed', async () => {
    const saved = { cacheDir: env.cacheDir, xdgCacheHome: env.xdgCacheHome };
    env.cacheDir = undefined;
    env.xdgCacheHome = join(dir, 'xdg');
    try {
      expect(defaultTokenizerCacheDir()).toBe(join(dir, 'xdg', 'autodidact', 'tokenizers'));
      await tokenizerForCorpus([corpus], { vocabSize: 300 });
      expect(await readdir(join(dir, 'xdg', 'autodidact', 'tokenizers'))).toHaveLength(1);
      for (const d of ['autodidact', 'autodidact/tokenizers']) {
        expect((await stat(join(dir, 'xdg', d))).mode & 0o777, d).toBe(0o700);
      }
      await chmod(join(dir, 'xdg', 'autodidact'), 0o777);
      await tokenizerForCorpus([corpus], { vocabSize: 300 });
      expect((await stat(join(dir, 'xdg', 'autodidact'))).mode & 0o777).toBe(0o700);
    } finally {
      Object.assign(env, saved);
    }
  });

  it('a cache folder or entry owned by another user is not used: nothing read from or written to it', async () => {
    if (process.getuid?.() !== 0) return; // only root can hand a folder to another user
    const cacheDir = join(dir, 'cache-foreign');
    await mkdir(cacheDir, { mode: 0o777 });
    await chown(cacheDir, 65534, 65534);
    const notes: string[] = [];
    const t = await tokenizerForCorpus([corpus], { vocabSize: 300, cacheDir, onCacheNote: (m) => void notes.push(m) });
    expect(t.tokenizer.vocabSize).toBeGreaterThan(256);
    expect(notes).toEqual([`tokenizer cache ${cacheDir} belongs to another user; not caching`]);
    expect(await readdir(cacheDir)).toEqual([]);
    // An entry planted in our own folder by another user is not trusted either.
    const own = join(dir, 'cache-a');
    const [name] = await readdir(own);
    await chown(join(own, name!), 65534, 65534);
    const again: string[] = [];
    await tokenizerForCorpus([corpus], { vocabSize: 300, cacheDir: own, onCacheNote: (m) => void again.push(m) });
    expect(again).toEqual([
      `tokenizer cache ${join(own, name!)} belongs to another user; training the tokenizer again`,
    ]);
  });
});
