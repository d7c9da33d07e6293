/**
 * `nx release patch --dry-run --skip-publish` plans a patch bump of every package (independent
 * versions, dependants' ranges updated) and writes nothing. Runs the pre-version build, so it is
 * a slow test: `npm run test:publish`, a named job that CI runs after `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages, REPO } from './package-files.js';

const patch = (v: string) => v.replace(/(\d+)$/, (n) => String(Number(n) + 1));
/** As README.md and docs/publishing.md show it. */
const COMMAND = 'npx nx release patch --dry-run --skip-publish';

describe('nx release dry run', () => {
  it('plans a patch bump of each package and writes nothing', () => {
    const packages = publishablePackages();
    const before = packages.map((p) => readFileSync(join(p.dir, 'package.json'), 'utf8'));
    const lock = readFileSync(join(REPO, 'package-lock.json'), 'utf8');
    const run = spawnSync(COMMAND, {
      shell: true,
      cwd: REPO,
      encoding: 'utf8',
      input: '',
      maxBuffer: 64 << 20,
    });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.status, out).toBe(0);
    for (const p of packages) {
      expect(out).toContain(`${p.json.name} ✍️  New version ${patch(p.json.version)} written to manifest`);
    }
    expect(out).toContain('Tagging commit with git');
    expect(out).toContain('"dryRun" flag means no changes were made');
    expect(packages.map((p) => readFileSync(join(p.dir, 'package.json'), 'utf8'))).toEqual(before);
    expect(readFileSync(join(REPO, 'package-lock.json'), 'utf8')).toBe(lock);
  }, 600_000);
});
