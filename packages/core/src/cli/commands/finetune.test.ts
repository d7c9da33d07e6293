/**
 * `autodidact finetune` end to end through the CLI entry point, on real MNIST through the
 * vision modality: pretrain a few steps, fine-tune (and head-only), save with --out, and check
 * that probe and embed accept what finetune saved.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistPresent, mnistTest, mnistTrain } from '../../test-support/mnist.js';
import { probeMnistArgs, simclrMnistArgs } from '../../test-support/mnist-cli-args.js';
import { runCli } from '../../test-support/run-cli.js';
import { tempDirs } from '../../test-support/temp-dirs.js';

const haveMnist = mnistPresent('the finetune CLI test');

describe.skipIf(!haveMnist)('autodidact finetune', () => {
  const tempDir = tempDirs();

  it('fine-tunes a pretrained encoder, prints it beside the frozen probe, saves what probe/embed/export accept', async () => {
    const dir = await tempDir('autodidact-finetune-');
    const pretrained = join(dir, 'run');
    const pre = await runCli(
      simclrMnistArgs({ limit: 128, batchSize: 32, steps: 2, out: pretrained }, '--no-report', '--quiet'),
    );
    expect(pre.code, pre.stderr).toBe(0);

    const common = ['--data', mnistTrain, '--test', mnistTest, '--train-limit', '600', '--test-limit', '200'];
    const tuned = join(dir, 'tuned');
    /** `finetune` of the pretrained encoder into `tuned` (a run with more steps resumes it). */
    const finetuneArgs = (steps: number, lr: string, ...extra: string[]) => [
      'finetune',
      'vision',
      '--checkpoint',
      join(pretrained, 'encoder.json'),
      ...common,
      '--steps',
      String(steps),
      '--lr',
      lr,
      '--out',
      tuned,
      ...extra,
    ];
    const ft = await runCli(finetuneArgs(30, '1e-3', '--log-format', 'json'));
    expect(ft.code, ft.stderr).toBe(0);
    const r = JSON.parse(ft.stdout) as Record<string, number | string | boolean>;
    expect(r.n_train).toBe(600);
    expect(r.n_test).toBe(200);
    expect(r.steps).toBe(30);
    expect(r.method).toBe('simclr');
    expect(r.out).toBe(tuned);
    expect(r.accuracy).toBeGreaterThan(0.3); // chance is 0.1
    expect(typeof r.linear_probe_accuracy).toBe('number');
    // Progress and messages are JSON lines, as pretrain's.
    const events = ft.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(events.filter((e) => e.event === 'step').length).toBeGreaterThan(0);
    expect(events.some((e) => e.event === 'end')).toBe(true);
    const meta = JSON.parse(await readFile(join(tuned, 'encoder.json'), 'utf8')) as {
      fineTuned: { steps: number; freeze: string };
    };
    expect(meta.fineTuned).toMatchObject({ steps: 30, freeze: 'none' });
    // The fine-tuned weights differ from the pretrained ones.
    expect(
      Buffer.compare(
        await readFile(join(tuned, 'encoder.weights.bin')),
        await readFile(join(pretrained, 'encoder.weights.bin')),
      ),
    ).not.toBe(0);

    // The same command with more steps resumes from <out>/checkpoints; another --lr is refused.
    const more = await runCli(finetuneArgs(34, '1e-3', '-q'));
    expect(more.code, more.stderr).toBe(0);
    expect(JSON.parse(more.stdout)).toMatchObject({ steps: 34, resumed_from_step: 30 });
    const other = await runCli(finetuneArgs(40, '2e-3', '-q'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^autodidact: error: .*checkpoints\/step-000034: settings differ from the checkpoint's: lr 0\.002 \(checkpoint: 0\.001\), headLr 0\.02 \(checkpoint: 0\.01\); resume with --lr 0\.001 --head-lr 0\.01, or pass --no-resume to start over\n$/,
    );
    // probe and embed accept the fine-tuned encoder.
    const probe = await runCli(probeMnistArgs(tuned, '-q'));
    expect(probe.code, probe.stderr).toBe(0);
    expect((JSON.parse(probe.stdout) as { accuracy: number }).accuracy).toBeGreaterThan(0.3);
    const embedded = join(dir, 'z.json');
    const emb = await runCli(['embed', tuned, '--data', mnistTest, '--limit', '10', '--out', embedded, '-q']);
    expect(emb.code, emb.stderr).toBe(0);
    expect((JSON.parse(emb.stdout) as { n: number }).n).toBe(10);

    // --freeze encoder trains the head only: the saved weights are byte-identical to the pretrained ones.
    const frozen = join(dir, 'frozen');
    const fr = await runCli([
      'finetune',
      'vision',
      '--checkpoint',
      pretrained,
      ...common,
      '--steps',
      '10',
      '--freeze',
      'encoder',
      '--label-fraction',
      '0.1',
      '--out',
      frozen,
      '-q',
    ]);
    expect(fr.code, fr.stderr).toBe(0);
    expect((JSON.parse(fr.stdout) as { n_train: number }).n_train).toBeLessThanOrEqual(62);
    expect(
      Buffer.compare(
        await readFile(join(frozen, 'encoder.weights.bin')),
        await readFile(join(pretrained, 'encoder.weights.bin')),
      ),
    ).toBe(0);

    // Bad input: a modality that is not the encoder's, a label fraction above 1 (usage errors, exit 2).
    const wrong = await runCli(['finetune', 'text', '--checkpoint', pretrained, ...common, '-q']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('modality: the encoder in');
    const frac = await runCli([
      'finetune',
      'vision',
      '--checkpoint',
      pretrained,
      ...common,
      '--label-fraction',
      '2',
      '-q',
    ]);
    expect(frac.code).toBe(2);
    expect(frac.stderr).toContain('--label-fraction');
  }, 180_000);
});
