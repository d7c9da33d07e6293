import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

describe('pretrain --data-mode', () => {
  afterEach(() => vi.restoreAllMocks());

  it('accepts auto, memory and stream only, with a one-line usage error otherwise', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => stderr.push(String(s)) > 0);
    const code = await main(['pretrain', 'vision', '--method', 'simclr', '--data-mode', 'disk']);
    expect(code).toBe(2);
    expect(stderr.join('')).toContain(
      "option '--data-mode <mode>' argument 'disk' is invalid. Allowed choices are auto, memory, stream.",
    );
  });

  it('is listed in pretrain --help', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    expect(await main(['pretrain', '--help'])).toBe(0);
    expect(out.join('')).toMatch(/--data-mode <mode>\s+decoded samples in memory, or streamed from disk/);
  });
});
