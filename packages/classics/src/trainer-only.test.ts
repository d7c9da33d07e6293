import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Training here runs through core's Trainer only: no optimizer call of our own in the sources.
describe('training loops', () => {
  it('no source file of this package calls minimize or applyGradients', () => {
    const src = import.meta.dirname;
    const files = (readdirSync(src, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    expect(files.length).toBeGreaterThan(3);
    const offenders = files.filter((f) => /\.(minimize|applyGradients)\(/.test(readFileSync(join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
