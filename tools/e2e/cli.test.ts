// End-to-end tests of the `autodidact` command as a user runs it: the built bin, real MNIST,
// real files on disk. `npm test` builds the packages first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repo, 'packages/core/bin/autodidact.js');
const data = process.env.AUTODIDACT_DATA_DIR ? resolve(process.env.AUTODIDACT_DATA_DIR) : join(repo, 'data');
const mnistTrain = join(data, 'mnist/train-images-idx3-ubyte');
const mnistTest = join(data, 'mnist/t10k-images-idx3-ubyte');
const work = mkdtempSync(join(tmpdir(), 'autodidact-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  if (!existsSync(join(repo, 'packages/core/dist/cli/main.js')))
    throw new Error('packages are not built: run npm run build');
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, AUTODIDACT_DATA_DIR: data },
    timeout: 300_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop()!);

/** `autodidact probe` of a run on 1,000 MNIST training digits, scored on 500 test digits. */
const probe = (run: string, kind: string) =>
  cli(
    'probe',
    run,
    '--train',
    mnistTrain,
    '--train-limit',
    '1000',
    '--test',
    mnistTest,
    '--test-limit',
    '500',
    '--kind',
    kind,
    '-q',
  );

describe('autodidact CLI', () => {
  it('--help lists the commands and pretrain --help its options', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    for (const c of ['pretrain', 'embed', 'probe', 'methods']) expect(top.out).toContain(c);
    const sub = cli('pretrain', '--help');
    expect(sub.code).toBe(0);
    for (const o of ['--method', '--data', '--epochs', '--batch-size', '--seed', '--out']) expect(sub.out).toContain(o);
    const m = cli('methods', 'vision');
    expect(m.code).toBe(0);
    for (const name of ['simclr', 'byol', 'autoencoder']) expect(m.out).toContain(name);
  });

  it('an unknown command is a usage error, not a crash', () => {
    const r = cli('frobnicate', '--x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
    expect(r.err).not.toMatch(/internal error|at .*\.js:\d+/);
  });

  it('bad options and paths exit non-zero with one line naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [
        ['pretrain', 'vision', '--method', 'nope', '--data', mnistTrain],
        /unknown vision method 'nope'; known: simclr, byol, autoencoder/,
      ],
      [['pretrain', 'sound', '--method', 'x'], /modality 'sound' is not installed/],
      [['pretrain', 'vision', '--method', 'simclr', '--data', join(work, 'missing.idx')], /missing\.idx: no such file/],
      [
        ['pretrain', 'vision', '--method', 'simclr', '--data', mnistTrain, '--batch-size', 'ten'],
        /--batch-size: expected an integer/,
      ],
      [
        ['pretrain', 'vision', '--method', 'simclr', '--data', mnistTrain, '--option', 'temprature=1'],
        /unknown option 'temprature' for method 'simclr'/,
      ],
      [
        ['embed', join(work, 'no-such-run'), '--data', mnistTest, '--out', join(work, 'e.npy')],
        /missing encoder\.json/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      // one error line, the last thing printed (a backend notice may precede it)
      const lines = r.err.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('autodidact: error: '))).toHaveLength(1);
      expect(lines.at(-1)).toMatch(/^autodidact: error: /);
      expect(lines.at(-1)).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
    const corrupt = join(work, 'corrupt-images-idx3-ubyte');
    writeFileSync(corrupt, Buffer.from([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]));
    const r = cli('pretrain', 'vision', '--method', 'simclr', '--data', corrupt, '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/corrupt-images-idx3-ubyte: truncated/);
  });

  it('pretrain -> embed -> probe on real MNIST; a second run with more steps resumes from the checkpoint', () => {
    const out = join(work, 'run');
    const common = [
      '--data',
      mnistTrain,
      '--limit',
      '512',
      '--batch-size',
      '64',
      '--out',
      out,
      '--option',
      'encoder="mlp"',
      '-q',
    ];
    const pre = cli('pretrain', 'vision', '--method', 'simclr', '--steps', '4', ...common);
    expect(pre.code, pre.err).toBe(0);
    const summary = lastJson(pre.out);
    expect(summary.steps).toBe(4);
    expect(Number.isFinite(summary.final_loss)).toBe(true);
    expect(existsSync(join(out, 'encoder.json'))).toBe(true);
    // Running again with more steps resumes from the checkpoint instead of starting over.
    const more = cli('pretrain', 'vision', '--method', 'simclr', '--steps', '6', ...common);
    expect(more.code, more.err).toBe(0);
    expect(lastJson(more.out).steps).toBe(6);
    expect(lastJson(more.out).resumed_from_step).toBe(4);

    const npy = join(work, 'emb.npy');
    const emb = cli('embed', out, '--data', mnistTest, '--limit', '100', '--out', npy, '-q');
    expect(emb.code, emb.err).toBe(0);
    expect(lastJson(emb.out)).toMatchObject({ n: 100, dim: 128 });
    const bytes = readFileSync(npy);
    expect(bytes.subarray(1, 6).toString('latin1')).toBe('NUMPY');
    const headerLen = bytes.readUInt16LE(8);
    expect(bytes.subarray(10, 10 + headerLen).toString('latin1')).toContain("'shape': (100, 128)");
    expect(bytes.length).toBe(10 + headerLen + 100 * 128 * 4);

    for (const kind of ['linear', 'knn']) {
      const p = probe(out, kind);
      expect(p.code, p.err).toBe(0);
      const r = lastJson(p.out);
      expect(r).toMatchObject({ n_train: 1000, n_test: 500, kind });
      expect(r.accuracy).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
    }
  });

  it('context prediction: pretrain -> embed (tile grid) -> probe; export refuses the patch-grid encoder', () => {
    const out = join(work, 'context-run');
    const pre = cli(
      'pretrain',
      'vision',
      '--method',
      'context',
      '--data',
      mnistTrain,
      '--limit',
      '512',
      '--batch-size',
      '32',
      '--steps',
      '3',
      '--out',
      out,
      '--no-eval',
      '--no-report',
      '--map-samples',
      '0',
      '-q',
    );
    expect(pre.code, pre.err).toBe(0);
    expect(lastJson(pre.out).steps).toBe(3);
    const config = JSON.parse(readFileSync(join(out, 'encoder.json'), 'utf8'));
    expect(config.encoderConfig.kind).toBe('patch-grid');

    // The tile-grid embedding: 16 tiles of 7 px, each through the patch encoder, concatenated.
    const npy = join(work, 'context-emb.npy');
    const emb = cli('embed', out, '--data', mnistTest, '--limit', '50', '--out', npy, '-q');
    expect(emb.code, emb.err).toBe(0);
    const { n, dim } = lastJson(emb.out);
    expect(n).toBe(50);
    expect(dim % 16).toBe(0);
    expect(dim).toBeGreaterThan(16);

    const p = probe(out, 'knn');
    expect(p.code, p.err).toBe(0);
    expect(lastJson(p.out)).toMatchObject({ n_train: 1000, n_test: 500, kind: 'knn' });
    expect(lastJson(p.out).accuracy).toBeGreaterThan(0.5);

    const ex = cli('export', out, '--format', 'tfjs', '--out', join(work, 'context-export'), '-q');
    expect(ex.code).toBe(2); // a configuration error, like a bad option
    expect(ex.err).toMatch(/^autodidact: error: .*'vision\/patch-grid'.* is not a network of standard layers/m);
    expect(ex.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'context-export', 'model.json'))).toBe(false);
  });
});
