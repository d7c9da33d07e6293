/**
 * Loading the addon makes oneDNN's OpenMP threads wait passively (asleep between convolutions,
 * not spinning) unless the user chose a policy, and leaves the environment as it found it. GNU
 * OpenMP prints the spin count the policy gives (0 passive, 300,000 by default, 3e10 active) when
 * OMP_DISPLAY_ENV is VERBOSE; each case loads the addon in a fresh process (libgomp reads the
 * variable once, when it is loaded).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addon } from './addon.js';

const addonModule = fileURLToPath(new URL('./addon.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** libgomp's spin count and the variable's value after the load, in a child with `env`. */
function loadWith(env: Record<string, string>): { spinCount: string | undefined; after: string } {
  const code = `await import(${JSON.stringify(addonModule)}); console.log('after=' + process.env.OMP_WAIT_POLICY);`;
  const base = { ...process.env };
  delete base.OMP_WAIT_POLICY;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repo,
    env: { ...base, OMP_DISPLAY_ENV: 'VERBOSE', ...env },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return {
    spinCount: /GOMP_SPINCOUNT = '(\d+)'/.exec(r.stderr)?.[1],
    after: /after=(\S+)/.exec(r.stdout)?.[1] ?? '',
  };
}

// Only an addon built with oneDNN links GNU OpenMP.
const withOpenMp = addon?.convEngine().startsWith('oneDNN') ?? false;

describe.skipIf(!withOpenMp)('OpenMP wait policy of the addon', () => {
  it('is passive by default, and the variable does not stay set for child processes', () => {
    expect(loadWith({})).toEqual({ spinCount: '0', after: 'undefined' });
  });

  it("keeps the user's choice", () => {
    expect(loadWith({ OMP_WAIT_POLICY: 'ACTIVE' })).toEqual({ spinCount: '30000000000', after: 'ACTIVE' });
  });
});
