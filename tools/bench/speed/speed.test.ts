/**
 * The speed bench's tiny mode as CI runs it: every library step (each method at its CLI defaults,
 * small batches) trains two steps through the bench's own child process, and the table comes out
 * with a time per row and a flat tensor count. The PyTorch peers run too where Debian's
 * python3-torch is installed (not in CI), so a broken peer fails here rather than in a
 * benchmark run. Times are not asserted: this machine's load is not ours to control.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LIBRARY_STEPS } from './library-steps.js';

const run = fileURLToPath(new URL('./run.ts', import.meta.url));

describe('speed bench --tiny', () => {
  it('runs every library step and prints a row with times and flat tensor counts', () => {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', run, '--tiny', '--threads', '1'], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| library step') && !l.startsWith('| ---'));
    expect(rows.map((l) => l.split(':')[0]!.slice(2))).toEqual(LIBRARY_STEPS.map((s) => s.name));
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim());
      expect(Number(cells[4]), row).toBeGreaterThan(0); // ms/step ours
      expect(cells[11], row).toMatch(/\(flat\)/);
      if (!r.stdout.includes('no torch peer')) expect(Number(cells[5]), row).toBeGreaterThan(0); // ms/step torch
    }
    expect(r.stdout).not.toMatch(/^note:/m);
  });
});
