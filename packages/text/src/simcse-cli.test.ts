/**
 * `autodidact pretrain text --method simcse` with adjacent positives through core's CLI entry
 * point: `--context-length` is the training sample (two windows), and the monitor, the saved
 * encoder's `embed` and a `probe` read one window, the encoder's, without being told.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/src/test-support/run-cli.js';

describe('autodidact pretrain text --method simcse (adjacent positives)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('trains on samples of --context-length tokens and monitors, embeds and probes at half of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simcse-cli-'));
    dirs.push(dir);
    const topics = ['army', 'tariff'];
    await mkdir(join(dir, 'corpus'));
    const corpus = Array.from({ length: 200 }, (_, i) => `Line ${i}: the ${topics[i % 2]} bill passed.`).join('\n');
    await writeFile(join(dir, 'corpus', 'a.txt'), corpus);
    for (const split of ['train', 'test']) {
      for (const c of topics) {
        await mkdir(join(dir, split, c), { recursive: true });
        for (let i = 0; i < 4; i++) await writeFile(join(dir, split, c, `${i}.txt`), `the ${c} bill ${i} `.repeat(12));
      }
    }
    const out = join(dir, 'run');
    const pretrain = await runCli([
      'pretrain',
      'text',
      '--method',
      'simcse',
      '--data',
      join(dir, 'corpus'),
      '--context-length',
      '32',
      '--vocab-size',
      '300',
      '--option',
      'dim=16',
      '--option',
      'heads=2',
      '--option',
      'layers=1',
      '--steps',
      '4',
      '--batch-size',
      '4',
      '--monitor',
      join(dir, 'train'),
      '--monitor-every',
      '2',
      '--map-samples',
      '0',
      '--out',
      out,
      '--quiet',
    ]);
    expect(pretrain.code, pretrain.stderr).toBe(0);

    const emb = join(dir, 'emb.npy');
    const embed = await runCli(['embed', out, '--data', join(dir, 'train'), '--out', emb, '--quiet']);
    expect(embed.code, embed.stderr).toBe(0);
    const probe = await runCli(['probe', out, '--train', join(dir, 'train'), '--test', join(dir, 'test'), '--quiet']);
    expect(probe.code, probe.stderr).toBe(0);

    // An explicit window that does not fit the encoder is still refused, in one line.
    const wrong = await runCli(['embed', out, '--data', join(dir, 'train'), '--out', emb, '--context-length', '32']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/reads windows of 16 tokens; --context-length 32 does not fit/);
  });
});
