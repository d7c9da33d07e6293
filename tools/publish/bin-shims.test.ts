/**
 * Every package that declares a `bin` ships a committed shim (as core's bin/autodidact.js), not a
 * file under dist/: npm links a package's commands when it installs the package, before any build,
 * and silently skips a command whose file does not exist yet. So `npx <bin>` works right after
 * `npm ci` (the link below) and after a packed install (the shim is in the tarball: pack.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages, REPO } from './package-files.js';

const bins = publishablePackages().flatMap((p) => {
  const bin = p.json.bin;
  const entries = typeof bin === 'string' ? [[p.json.name.split('/').pop()!, bin]] : Object.entries(bin ?? {});
  return entries.map(([name, target]) => ({ pkg: p, name, file: resolve(p.dir, target) }));
});

describe('bin shims', () => {
  it('finds the commands (self-check)', () => {
    expect(bins.map((b) => b.name)).toEqual(expect.arrayContaining(['autodidact', 'autodidact-classics']));
  });

  it.each(bins.map((b) => [b.name, b] as const))('%s: a committed shim, linked by npm', (_, b) => {
    const rel = relative(REPO, b.file);
    expect(rel.split('/')).not.toContain('dist');
    // committed: git knows the file (a build output would be ignored)
    expect(() => execFileSync('git', ['ls-files', '--error-unmatch', rel], { cwd: REPO, stdio: 'pipe' })).not.toThrow();
    const text = readFileSync(b.file, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // what it imports is a build output of a source file of the same package
    for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g)) {
      const target = relative(b.pkg.dir, resolve(dirname(b.file), spec!));
      expect(target).toMatch(/^dist\/.+\.js$/);
      const source = join(b.pkg.dir, target.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
      expect(existsSync(source), `${rel} imports ${target}, built from ${relative(REPO, source)}`).toBe(true);
    }
    // npm ci linked it: node_modules/.bin/<name> -> the shim
    const link = join(REPO, 'node_modules', '.bin', b.name);
    expect(existsSync(link), `${link} is missing: npm did not link the command`).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(b.file));
  });

  it.each(bins.map((b) => [b.name, b] as const))('%s --help runs from the built package', (_, b) => {
    const run = spawnSync(process.execPath, [b.file, '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/usage/i);
  });
});
