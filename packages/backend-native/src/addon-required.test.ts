/**
 * Whenever this machine has what the addon build needs (OpenBLAS's header and library, a C++
 * compiler and make; scripts/find-openblas.mjs), the addon must have built and must register:
 * a broken build fails the run instead of silently falling back to the slow cpu backend. On a
 * machine without OpenBLAS the first test is skipped by design (the fallback is the intended
 * behaviour there) and says so.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST_BACKEND_FIX, findOpenBlas } from '../scripts/find-openblas.mjs';
import { available, register, unavailableReason } from './index.js';

const blas = findOpenBlas();
if (!blas.buildable) {
  console.warn(
    `skipping the native-addon requirement: this machine lacks ${blas.missing.join(' and ')} (by design: the cpu fallback is expected here; for the fast backend: ${FAST_BACKEND_FIX})`,
  );
}

describe('native addon build', () => {
  it.skipIf(!blas.buildable)(
    `built and registers, since this machine has OpenBLAS (${blas.library}) and a C++ toolchain`,
    () => {
      expect(unavailableReason()).toBeUndefined();
      expect(available()).toBe(true);
      expect(register()).toBe(true);
    },
  );

  it('register() agrees with available() and names the reason when unavailable', () => {
    expect(register()).toBe(available());
    if (!available()) expect(unavailableReason()).toMatch(/addon/);
  });

  it('reports what it found consistently (a found library exists; the fix names the package)', () => {
    expect(blas.buildable).toBe(blas.missing.length === 0);
    if (blas.library) expect(existsSync(blas.library)).toBe(true);
    expect(FAST_BACKEND_FIX).toContain('libopenblas-dev');
    expect(FAST_BACKEND_FIX).toContain('npm rebuild @autodidact/backend-native');
  });
});
