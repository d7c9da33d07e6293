/**
 * One way to make a parameter outside tf.layers: a `ParamMap` (core/src/nn/params.ts,
 * `createParam` / `adoptParam`), so every module's variables have stable names, an order, a
 * trainable flag and one disposal. This test fails on a raw `tf.variable(` in package sources
 * anywhere else, naming the file and line. Not counted: tests and test helpers (`*.test.ts`,
 * `test-support/`), params.ts itself, and the optimizers' slot variables
 * (core/src/trainer/optimizers/: optimizer state, not parameters of a module).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageSources, repo } from './package-sources.js';

/** Where raw variables are part of the design. */
const EXEMPT = ['packages/core/src/nn/params.ts', 'packages/core/src/trainer/optimizers/'];

/**
 * Packages that may still make raw variables while they move onto ParamMap: none left. Add an
 * entry (a path prefix) only for a move in progress, and remove it once its package has none
 * (the test below fails on an entry that no longer matches anything).
 */
const ALLOWED: string[] = [];

/** `tf.variable(` or `tf.variable<...>(`, spaces allowed around the dot. */
const RAW = /\btf\s*\.\s*variable\s*[(<]/g;

/** The entries of `allowed` under which `files` have no raw variable left (stale entries). */
function staleEntries(allowed: string[], files: string[]): string[] {
  return allowed.filter((a) => rawSites(files.filter((f) => f.startsWith(a))).length === 0);
}

/** `file:line` of each raw variable in `files`. */
function rawSites(files: string[]): string[] {
  const sites: string[] = [];
  for (const f of files) {
    const lines = readFileSync(join(repo, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const _ of line.matchAll(RAW)) sites.push(`${f}:${i + 1}`);
    });
  }
  return sites;
}

describe('parameters are made through ParamMap', () => {
  const files = packageSources(['test-support']).filter((f) => !EXEMPT.some((e) => f.startsWith(e)));

  it('finds the package sources (the walk itself works)', () => {
    expect(files).toContain('packages/core/src/eval/linear-probe.ts');
    expect(files.some((f) => f.startsWith('packages/vision/src/methods/'))).toBe(true);
    // The pattern matches what it must.
    expect('const w = tf.variable(x, true);'.match(RAW)).toHaveLength(1);
    expect('tf .variable<tf.Rank.R2>(x)'.match(RAW)).toHaveLength(1);
    expect('const v = tf.variables(x); getVariable(x)'.match(RAW)).toBeNull();
  });

  it('no raw tf.variable( outside params.ts, the optimizers and the packages still to move', () => {
    const outside = rawSites(files.filter((f) => !ALLOWED.some((a) => f.startsWith(a))));
    expect(outside, `raw tf.variable( calls; make them with createParam/adoptParam:\n${outside.join('\n')}`).toEqual(
      [],
    );
  });

  it('every allowed package still has raw variables (else drop it from the list)', () => {
    expect(staleEntries(ALLOWED, files)).toEqual([]);
    // The check reports an entry with nothing left and keeps one with raw variables.
    expect(rawSites(['packages/core/src/nn/params.ts']).length).toBeGreaterThan(0);
    expect(
      staleEntries(['packages/classics/src/', 'packages/core/src/nn/'], [...files, 'packages/core/src/nn/params.ts']),
    ).toEqual(['packages/classics/src/']);
  });
});
