/**
 * The test split, reachable only through `report()`. Benches choose defaults and hyperparameters
 * with `--split validation`, which never opens the test split; a reported number opens it once,
 * under a label, and every opening is logged (stderr and {@link testReads}). Opening the same
 * label twice in one process throws: a number is read off the test set once.
 */
import { env } from '@autodidact/core';
import { parseChoice } from './usage.js';

/** Which split a run scores on: `validation` to choose, `test` to report. */
export type Phase = 'validation' | 'test';

/** `--split validation|test` (default test). */
export function parsePhase(text: string): Phase {
  return parseChoice('--split', text, ['validation', 'test']);
}

/** Every test-split reading of this process: data set, label, time. */
export const testReads: { dataset: string; label: string; at: string }[] = [];

/** A data set's test split; `T` is whatever the bench keeps of it (a dataset, a file list). */
export class HeldOut<T> {
  readonly #value: T;
  readonly #labels = new Set<string>();

  constructor(
    readonly dataset: string,
    value: T,
  ) {
    this.#value = value;
  }

  /**
   * Reads the test split for the number(s) reported under `label` (e.g. `simclr seed 1 probes`).
   * Logs the reading; throws when this label was already read.
   */
  report<R>(label: string, use: (test: T) => R): R {
    if (this.#labels.has(label)) throw new Error(`${this.dataset}: test split already read for "${label}"`);
    this.#labels.add(label);
    const entry = { dataset: this.dataset, label, at: new Date().toISOString() };
    testReads.push(entry);
    if (!env.quiet) process.stderr.write(`[test split] ${this.dataset}: ${label}\n`);
    return use(this.#value);
  }

  /** Labels read so far. */
  get reads(): readonly string[] {
    return [...this.#labels];
  }
}

/** A data set's three splits. `test` only through `report()`. */
export interface Splits<T> {
  train: T;
  validation: T;
  test: HeldOut<T>;
}

/** Runs `use` on the validation split, or on the test split through `report(label)`. */
export function evaluationSet<T, R>(splits: Splits<T>, phase: Phase, label: string, use: (data: T) => R): R {
  return phase === 'validation' ? use(splits.validation) : splits.test.report(label, use);
}

/** One line for a table's caption: how many test readings, of which data sets. */
export function testReadSummary(): string {
  const by = new Map<string, number>();
  for (const r of testReads) by.set(r.dataset, (by.get(r.dataset) ?? 0) + 1);
  return by.size === 0
    ? 'test split not read (validation run)'
    : `test split read ${[...by].map(([d, n]) => `${n} times (${d})`).join(', ')}, once per reported number`;
}
