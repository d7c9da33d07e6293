/**
 * `autodidact pretrain multimodal --method clip` end to end through core's CLI entry point (which
 * loads this package at run time, as for every modality), on tiny paired folders made here:
 * image + text in class folders, image + sound unlabelled. A run writes metrics.jsonl, the
 * checkpoint and the image tower; a run stopped after 2 steps and given the same command again
 * resumes and ends with the very weights of an uninterrupted run, in memory and streamed; bad
 * folders fail in one line naming the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { modality as audio } from '@autodidact/audio';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../core/src/test-support/run-cli.js';
import { tempDirs } from '../../core/src/test-support/temp-dirs.js';
import { writeFolder } from '../../core/src/test-support/write-folder.js';
import { MULTIMODAL_LOADER_OPTIONS } from './modality.js';
import { png, soundPairFiles, wav } from './test-support/pair-files.js';

const tempDir = tempDirs();

/** Image + text pairs in two class folders (8 each). */
async function textPairs(): Promise<string> {
  const root = await tempDir('multimodal-text-');
  for (const [c, name] of ['circle', 'square'].entries()) {
    const files: Record<string, string | Uint8Array> = {};
    for (let i = 0; i < 8; i++) {
      files[`${i}.png`] = await png(2 * i + c);
      files[`${i}.txt`] = `a ${['small', 'large'][i % 2]} ${name} number ${i}\n`;
    }
    await writeFolder(join(root, name), files);
  }
  return root;
}

/** Image + sound pairs directly in the folder (8). */
async function soundPairs(): Promise<string> {
  return writeFolder(await tempDir('multimodal-sound-'), await soundPairFiles(8));
}

const pretrain = (data: string, out: string, steps: number, ...more: string[]) =>
  runCli([
    'pretrain',
    'multimodal',
    '--method',
    'clip',
    '--data',
    data,
    '--out',
    out,
    '--steps',
    String(steps),
    '--batch-size',
    '4',
    '--option',
    'width=4',
    '--option',
    'projectionDim=8',
    '--map-samples',
    '8',
    '--quiet',
    ...more,
  ]);

interface Summary {
  modality: string;
  method: string;
  steps: number;
  resumed_from_step?: number;
  final_loss: number;
}

const metricSteps = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; loss: number });

describe('autodidact pretrain multimodal --method clip', () => {
  it('image + text: metrics.jsonl, the checkpoint, the image tower and the report; a stopped run resumes exactly', async () => {
    const data = await textPairs();
    const dir = await tempDir('multimodal-run-');
    const whole = join(dir, 'whole');
    const split = join(dir, 'split');
    const r = await pretrain(data, whole, 4);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary).toMatchObject({ modality: 'multimodal', method: 'clip', steps: 4 });
    expect(Number.isFinite(summary.final_loss)).toBe(true);
    expect(metricSteps(whole).map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect((await readdir(join(whole, 'checkpoints'))).some((f) => f.includes('4'))).toBe(true);
    const saved = JSON.parse(readFileSync(join(whole, 'encoder.json'), 'utf8')) as {
      modality: string;
      encoderConfig: { modality: string; inputShape: number[] };
    };
    expect(saved.modality).toBe('multimodal');
    expect(saved.encoderConfig).toMatchObject({ modality: 'vision', inputShape: [12, 12, 1] });
    expect(existsSync(join(whole, 'report.html'))).toBe(true);

    // 2 steps, then the same command asking for 4: it resumes at step 2 and ends where `whole` did.
    expect((await pretrain(data, split, 2)).code).toBe(0);
    const resumed = await pretrain(data, split, 4);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = JSON.parse(resumed.stdout) as Summary;
    expect(after.resumed_from_step).toBe(2);
    expect(after.final_loss).toBe(summary.final_loss);
    const losses = (out: string) => metricSteps(out).map((m) => [m.step, m.loss]);
    expect(losses(split)).toEqual(losses(whole));
    const weights = (out: string) => readFileSync(join(out, 'encoder.weights.bin'));
    expect(weights(split).equals(weights(whole))).toBe(true);
  });

  it('image + sound: trains on spectrograms of the WAVs', async () => {
    const data = await soundPairs();
    const out = join(await tempDir('multimodal-run-'), 'run');
    const r = await pretrain(data, out, 2, '--sample-rate', '4000', '--clip-seconds', '0.25');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).steps).toBe(2);
    expect(metricSteps(out).map((m) => m.step)).toEqual([1, 2]);
    expect(metricSteps(out).every((m) => Number.isFinite(m.loss))).toBe(true);
  });

  it('image + sound streamed from disk (--data-mode stream): a stopped run resumes exactly', async () => {
    const data = await soundPairs();
    const dir = await tempDir('multimodal-run-');
    const flags = ['--sample-rate', '4000', '--clip-seconds', '0.25', '--data-mode', 'stream'];
    const whole = await pretrain(data, join(dir, 'whole'), 4, ...flags);
    expect(whole.code, whole.stderr).toBe(0);
    expect((await pretrain(data, join(dir, 'split'), 2, ...flags)).code).toBe(0);
    const resumed = await pretrain(data, join(dir, 'split'), 4, ...flags);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as Summary).resumed_from_step).toBe(2);
    const losses = (out: string) => metricSteps(join(dir, out)).map((m) => [m.step, m.loss]);
    expect(losses('split')).toEqual(losses('whole'));
    const weights = (out: string) => readFileSync(join(dir, out, 'encoder.weights.bin'));
    expect(weights('split').equals(weights('whole'))).toBe(true);
  });

  it('an image without its partner, or a folder mixing sounds and texts, fails in one line naming the file', async () => {
    const lone = await writeFolder(await tempDir('multimodal-bad-'), {
      'a.png': await png(0),
      'a.txt': 'a bar',
      'b.png': await png(1),
    });
    const out = await tempDir('multimodal-out-');
    const r1 = await pretrain(lone, join(out, 'one'), 2);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toBe(
      `autodidact: error: ${join(lone, 'b.png')}: no partner beside it: expected b.wav (sound) or b.txt (text)\n`,
    );
    const mixed = await writeFolder(await tempDir('multimodal-bad-'), {
      'a.png': await png(0),
      'a.txt': 'a bar',
      'b.png': await png(1),
      'b.wav': wav(1),
    });
    const r2 = await pretrain(mixed, join(out, 'two'), 2);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toBe(
      `autodidact: error: ${join(mixed, 'b.png')}: its partner is a sound (.wav), but a.png's is a text (.txt); a folder holds one kind of pair\n`,
    );
  });

  it("--sample-rate and --clip-seconds are audio's options, at the pairs' defaults (8 kHz, 1 s)", () => {
    const spec = (options: typeof MULTIMODAL_LOADER_OPTIONS, name: string) => {
      const { default: value, description, ...rest } = options.find((o) => o.name === name)!;
      return { value, description, rest };
    };
    for (const [name, value] of [
      ['sampleRate', 8000],
      ['clipSeconds', 1],
    ] as const) {
      const ours = spec(MULTIMODAL_LOADER_OPTIONS, name);
      const theirs = spec(audio.loaderOptions!, name);
      expect(ours.rest).toEqual(theirs.rest);
      expect(ours.value).toBe(value);
      expect(ours.description).toBe(`${theirs.description} (image + sound pairs)`);
    }
    expect(spec(MULTIMODAL_LOADER_OPTIONS, 'clipSeconds').rest.max).toBe(600);
  });
});
