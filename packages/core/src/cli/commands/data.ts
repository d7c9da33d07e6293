import {
  DATA_SETS,
  DEFAULT_DATA_SETS,
  dataDir,
  dataSetDir,
  fetchDataSets,
  isFetched,
  requireDataSet,
} from '../../data-sets/index.js';
import { AutodidactError } from '../../errors.js';
import { commandMessages, type LogFormat } from '../log-output.js';

/** `autodidact data list`: every set, whether it is fetched, and what it holds. */
export function dataListCommand(): void {
  process.stdout.write(`data sets in ${dataDir()} (* fetched by 'autodidact data fetch' with no names):\n`);
  for (const [name, set] of Object.entries(DATA_SETS)) {
    const state = isFetched(name) ? 'fetched' : 'missing';
    process.stdout.write(`  ${(set.default ? '* ' : '  ') + name.padEnd(20)} ${state.padEnd(8)} ${set.description}\n`);
  }
}

/** Flags of `autodidact data fetch`. */
export interface DataFetchFlags {
  all?: boolean;
  quiet?: boolean;
  logFormat?: LogFormat;
}

/**
 * `autodidact data fetch [set...]`: the named sets, else the default ones; idempotent. A set that
 * fails does not stop the others; the command then fails naming each one and why.
 */
export function dataFetchCommand(names: string[], flags: DataFetchFlags): void {
  const { say } = commandMessages(flags);
  const wanted = flags.all ? Object.keys(DATA_SETS) : names.length > 0 ? names : [...DEFAULT_DATA_SETS];
  for (const name of wanted) if (!Object.hasOwn(DATA_SETS, name)) requireDataSet(name); // unknown: ConfigError
  const fetched: string[] = [];
  const present: string[] = [];
  const failed: string[] = [];
  for (const name of wanted) {
    try {
      const r = fetchDataSets([name], { say: (line) => say(`data: ${line}`) });
      fetched.push(...r.fetched);
      present.push(...r.present);
    } catch (err) {
      if (!(err instanceof AutodidactError)) throw err;
      say(`data: ${err.message}`);
      failed.push(err.message);
    }
  }
  process.stdout.write(
    `${JSON.stringify({ data_dir: dataDir(), fetched, present, failed: failed.length, sets: Object.fromEntries(wanted.map((n) => [n, dataSetDir(n)])) })}\n`,
  );
  if (failed.length > 0)
    throw new AutodidactError('FETCH', `${failed.length} of ${wanted.length} sets failed: ${failed.join('; ')}`);
}
