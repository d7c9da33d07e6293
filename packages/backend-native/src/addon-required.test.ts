/**
 * CI sets AUTODIDACT_REQUIRE_NATIVE=1 so a broken addon build fails the run instead of
 * silently falling back to the slow cpu backend. This package reads that variable itself:
 * it is a leaf that @autodidact/core depends on (optionally), so it cannot import core's env.ts.
 */
import { describe, expect, it } from 'vitest';
import { available, register, unavailableReason } from './index.js';

const required = ['1', 'true', 'yes'].includes((process.env.AUTODIDACT_REQUIRE_NATIVE ?? '').toLowerCase());

describe('native addon build', () => {
  it.skipIf(!required)('built and registers (AUTODIDACT_REQUIRE_NATIVE=1)', () => {
    expect(unavailableReason()).toBeUndefined();
    expect(available()).toBe(true);
    expect(register()).toBe(true);
  });

  it('register() agrees with available() and names the reason when unavailable', () => {
    expect(register()).toBe(available());
    if (!available()) expect(unavailableReason()).toMatch(/addon/);
  });
});
