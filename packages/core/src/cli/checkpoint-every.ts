import { ConfigError } from '../errors.js';

/** Units of `--checkpoint-every` and their seconds. */
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, min: 60, h: 3600 };

/**
 * `--checkpoint-every` as trainer options: a whole number is steps (`500`), a number with a
 * unit is wall time (`30s`, `5m`, `1.5h`); either replaces the other cadence, so the run
 * checkpoints exactly as asked. Absent: the trainer's default (every 500 steps or every 2
 * minutes, whichever comes first).
 */
export function parseCheckpointEvery(
  value: string | undefined,
  flag = '--checkpoint-every',
): { checkpointEvery?: number; checkpointEverySeconds?: number } {
  if (value === undefined) return {};
  const steps = /^\d+$/.exec(value.trim());
  if (steps) {
    const n = Number(value);
    if (n >= 1) return { checkpointEvery: n, checkpointEverySeconds: 0 };
  }
  const time = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)$/.exec(value.trim());
  if (time && Number(time[1]) > 0) {
    return { checkpointEvery: 0, checkpointEverySeconds: Number(time[1]) * UNITS[time[2]!]! };
  }
  throw new ConfigError(
    `expected a number of steps (e.g. 200) or a time with a unit (e.g. 30s, 5m, 1h), got '${value}'`,
    { field: flag },
  );
}
