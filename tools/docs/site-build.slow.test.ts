/**
 * The API site builds from the sources without warnings (TypeDoc, validation only). About 35 s
 * of CPU (six TypeScript programs), so outside `npm test`: `npm run docs:check`, a named job
 * that CI runs after `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

describe('documentation site', () => {
  it('the API site builds from the sources without warnings', () => {
    const bin = join(root, 'node_modules', '.bin', 'typedoc');
    execFileSync(bin, ['--emit', 'none', '--treatWarningsAsErrors'], { cwd: root, stdio: 'pipe', timeout: 600_000 });
  }, 600_000);
});
