import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { env } from '../env.js';
import { ConfigError } from '../errors.js';
import {
  DATA_SETS,
  DEFAULT_DATA_SETS,
  type DataSetRecipe,
  dataDir,
  fetchDataSets,
  isFetched,
  MissingDataError,
  requireDataSet,
} from './index.js';

describe('data sets', () => {
  let dir: string;
  const saved = env.dataDir;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'autodidact-data-sets-'));
    env.dataDir = dir;
  });
  afterEach(() => {
    env.dataDir = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults cover what the modalities fall back to and the tests read', () => {
    expect(DEFAULT_DATA_SETS).toEqual(
      expect.arrayContaining(['mnist', 'fashion-mnist', 'digits', 'photos', 'spoken-digits', 'sotu', 'bacteria']),
    );
    expect(DEFAULT_DATA_SETS).not.toContain('gcide');
    for (const set of Object.values(DATA_SETS)) expect(set.description.length).toBeGreaterThan(20);
  });

  it('a missing set names the exact fetch command; an unknown one lists the known sets', () => {
    expect(dataDir()).toBe(dir);
    const err = (() => {
      try {
        requireDataSet('moby-dick', 'yarowsky');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MissingDataError);
    expect((err as Error).message).toBe(
      `yarowsky needs data that is missing: data set 'moby-dick' is not in ${dir}; fetch with: npx autodidact data fetch moby-dick`,
    );
    expect(() => requireDataSet('mnsit')).toThrow(ConfigError);
    expect(() => requireDataSet('mnsit')).toThrow(/unknown data set 'mnsit'; known: mnist, /);
  });

  it('fetches into place once, and a failed fetch leaves nothing behind', () => {
    let calls = 0;
    const sets: Record<string, DataSetRecipe> = {
      good: {
        description: 'a set that writes one file',
        default: true,
        fetch(dest) {
          calls++;
          mkdirSync(dest, { recursive: true });
          writeFileSync(join(dest, 'a.txt'), 'a');
        },
      },
      bad: {
        description: 'a set whose download fails half-way',
        default: false,
        fetch(dest) {
          mkdirSync(dest, { recursive: true });
          writeFileSync(join(dest, 'half.txt'), 'h');
          throw new Error('network down');
        },
      },
    };
    const lines: string[] = [];
    expect(fetchDataSets(['good'], { sets, say: (l) => lines.push(l) })).toEqual({ fetched: ['good'], present: [] });
    expect(readFileSync(join(dir, 'good', 'a.txt'), 'utf8')).toBe('a');
    expect(readFileSync(join(dir, 'good', '.complete'), 'utf8')).toBe('a set that writes one file\n');
    expect(fetchDataSets(['good'], { sets })).toEqual({ fetched: [], present: ['good'] });
    expect(calls).toBe(1);
    expect(lines).toEqual(['good: fetching (a set that writes one file)', `good: fetched into ${join(dir, 'good')}`]);

    expect(() => fetchDataSets(['bad'], { sets })).toThrow(/fetching data set 'bad' failed: network down/);
    expect(isFetched('bad')).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['good']); // no bad/, no staging folder
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('autodidact data list shows every set and whether it is fetched; data fetch refuses an unknown set', async () => {
    mkdirSync(join(dir, 'sotu'), { recursive: true });
    writeFileSync(join(dir, 'sotu', '.complete'), 'x\n');
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((t) => out.push(String(t)) > 0);
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((t) => err.push(String(t)) > 0);
    let codes: number[];
    try {
      codes = [await main(['data', 'list']), await main(['data', 'fetch', 'sotu', 'nope'])];
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    expect(codes).toEqual([0, 2]);
    const lines = out.join('').split('\n');
    expect(lines[0]).toBe(`data sets in ${dir} (* fetched by 'autodidact data fetch' with no names):`);
    for (const name of Object.keys(DATA_SETS)) expect(lines.some((l) => l.includes(` ${name} `))).toBe(true);
    expect(lines.find((l) => l.includes(' sotu '))).toMatch(/^ {2}\* sotu +fetched /);
    expect(lines.find((l) => l.includes(' gcide '))).toMatch(/^ {4}gcide +missing /);
    expect(err.join('')).toContain("autodidact: error: set: unknown data set 'nope'");
  });
});
