// End-to-end tests of the data flags as a user runs them: the built `autodidact` bin on data
// made from the fetched sets. FASTQ reads of 150 bases are cut from the bacterial genomes
// (data/bacteria), one folder per species; photos of mixed sizes (data/photos, which holds a
// truncated JPEG) train a colour encoder that then reads grey MNIST. `npm test` builds first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repo, 'packages/core/bin/autodidact.js');
const data = process.env.AUTODIDACT_DATA_DIR ? resolve(process.env.AUTODIDACT_DATA_DIR) : join(repo, 'data');
const mnistTrain = join(data, 'mnist/train-images-idx3-ubyte');
const mnistTest = join(data, 'mnist/t10k-images-idx3-ubyte');
const work = mkdtempSync(join(tmpdir(), 'autodidact-cli-data-'));
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
const errorLine = (err: string) => err.trim().split('\n').at(-1)!;

/** The first sequence of a gzipped FASTA file, up to `max` bases. */
function firstSequence(file: string, max: number): string {
  const lines = gunzipSync(readFileSync(file)).toString('latin1').split('\n');
  let seq = '';
  for (const line of lines.slice(1)) {
    if (line.startsWith('>')) break;
    seq += line.trim().toUpperCase();
    if (seq.length >= max) break;
  }
  return seq.slice(0, max);
}

/** FASTQ text of `n` reads of `length` bases (or lengths drawn from `lengths`) taken along `seq`. */
function readsOf(seq: string, n: number, lengths: readonly number[], tag: string): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const len = lengths[i % lengths.length]!;
    const start = Math.floor((i * (seq.length - len)) / n);
    const r = seq.slice(start, start + len);
    out += `@${tag}_${i}\n${r}\n+\n${'F'.repeat(r.length)}\n`;
  }
  return out;
}

describe('autodidact genomics windows on FASTQ reads cut from the bacterial genomes', () => {
  const reads = join(work, 'reads');
  beforeAll(() => {
    // One folder per species, for training and for testing (the held-out strain).
    for (const split of ['train', 'test']) {
      for (const species of readdirSync(join(data, 'bacteria', split))) {
        const genome = readdirSync(join(data, 'bacteria', split, species)).find((f) => f.endsWith('.gz'))!;
        const seq = firstSequence(join(data, 'bacteria', split, species, genome), 60_000);
        mkdirSync(join(reads, split, species), { recursive: true });
        writeFileSync(join(reads, split, species, 'reads.fq'), readsOf(seq, 48, [150], `${species}_${split}`));
        if (split === 'train') {
          writeFileSync(join(reads, 'mixed.fq'), readsOf(seq, 48, [100, 150, 250, 300], species), { flag: 'a' });
        }
      }
    }
  });

  it('pretrain --window 150 trains on 150-base reads; the default window says why nothing fits', () => {
    const out = join(work, 'sgn150');
    const common = [
      '--method',
      'self-genomenet',
      '--steps',
      '3',
      '--batch-size',
      '16',
      '--no-report',
      '--map-samples',
      '0',
      '-q',
    ];
    const tooLong = cli(
      'pretrain',
      'genomics',
      '--data',
      join(reads, 'train'),
      '--out',
      join(work, 'sgn1024'),
      ...common,
    );
    expect(tooLong.code).toBe(1);
    expect(errorLine(tooLong.err)).toBe(
      `autodidact: error: ${join(reads, 'train')}: no 1,024-base windows: 192 records of 150 bases, all shorter than the window ` +
        '(window 1,024, stride 1,024); --window 150 fits every record, --window read makes each record one sample',
    );
    const pre = cli('pretrain', 'genomics', '--data', join(reads, 'train'), '--window', '150', '--out', out, ...common);
    expect(pre.code, pre.err).toBe(0);
    expect(lastJson(pre.out)).toMatchObject({ modality: 'genomics', method: 'self-genomenet', steps: 3 });
    expect(Number.isFinite(lastJson(pre.out).final_loss)).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, 'encoder.json'), 'utf8'));
    expect(meta.loaderOptions).toMatchObject({ window: 150, iupac: 'as-N' });
    expect(meta.encoderConfig.inputShape).toEqual([150, 4]);

    // embed and probe read the reads as the encoder was trained: 150-base windows, one per read.
    const npy = join(work, 'reads.npy');
    const emb = cli('embed', out, '--data', join(reads, 'test'), '--out', npy);
    expect(emb.code, emb.err).toBe(0);
    expect(emb.err).toContain('reading the data as the encoder was trained: --window 150 --iupac as-N');
    expect(lastJson(emb.out).n).toBe(4 * 48);
    const probe = cli(
      'probe',
      out,
      '--train',
      join(reads, 'train'),
      '--test',
      join(reads, 'test'),
      '--kind',
      'knn',
      '-q',
    );
    expect(probe.code, probe.err).toBe(0);
    expect(lastJson(probe.out)).toMatchObject({ n_train: 192, n_test: 192, kind: 'knn' });
    // a flag overrides the saved value: 75-base windows give two per read
    const half = cli(
      'embed',
      out,
      '--data',
      join(reads, 'test'),
      '--window',
      '75',
      '--out',
      join(work, 'half.npy'),
      '-q',
    );
    expect(half.code, half.err).toBe(0);
    expect(lastJson(half.out).n).toBe(2 * 4 * 48);
  });

  it("pretrain --window read: reads of 100-300 bases, one sample each (N-padded at the 3' end)", () => {
    const out = join(work, 'cpc-reads');
    const r = cli(
      'pretrain',
      'genomics',
      '--method',
      'cpc',
      '--data',
      join(reads, 'mixed.fq'),
      '--window',
      'read',
      '--steps',
      '2',
      '--batch-size',
      '16',
      '--out',
      out,
      '--no-report',
      '--map-samples',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/pretraining genomics\/cpc on 192 samples \[300x4\] \(--window read --iupac as-N\)/);
  });
});

describe('autodidact vision: image size, channels and a colour encoder on grey data', () => {
  it('pretrain on mixed-size photos at --image-size 32 (skipping the truncated one), then probe grey MNIST', () => {
    const out = join(work, 'photos-run');
    const pre = cli(
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--data',
      join(data, 'photos'),
      '--image-size',
      '32',
      '--channels',
      '3',
      '--steps',
      '2',
      '--batch-size',
      '8',
      '--out',
      out,
      '--no-report',
      '--map-samples',
      '0',
    );
    expect(pre.code, pre.err).toBe(0);
    expect(pre.err).toMatch(/skipped .*truncated\.jpg: cannot decode jpeg image/);
    expect(pre.err).toMatch(/photos: skipped 1 of 34 image files \(1 truncated\)/);
    expect(pre.err).toMatch(/on 33 samples \[32x32x3\] \(--image-size 32 --channels 3\)/);

    // The encoder takes 32x32 colour; MNIST is 28x28 grey: converted, and said so in one line.
    const probe = cli(
      'probe',
      out,
      '--train',
      mnistTrain,
      '--train-limit',
      '300',
      '--test',
      mnistTest,
      '--test-limit',
      '100',
      '--kind',
      'knn',
    );
    expect(probe.code, probe.err).toBe(0);
    expect(probe.err).toContain(
      'train-images-idx3-ubyte: 28x28 grey images; the encoder takes 32x32x3: resized to 32x32 (shorter side scaled, centre cropped) and grey repeated to 3 channels',
    );
    expect(probe.err).not.toMatch(/internal error|\n\s+at /);
    expect(lastJson(probe.out)).toMatchObject({ n_train: 300, n_test: 100 });

    // A flag that contradicts the encoder is a usage error naming both.
    const bad = cli(
      'embed',
      out,
      '--data',
      mnistTest,
      '--limit',
      '10',
      '--image-size',
      '28',
      '--out',
      join(work, 'x.npy'),
    );
    expect(bad.code).toBe(2);
    expect(errorLine(bad.err)).toBe(
      "autodidact: error: --image-size: the encoder takes 32x32x3 images; --image-size 28 does not fit it (leave the flag out to use the encoder's size)",
    );
  });

  it('--strict stops at the first bad file with one line naming it', () => {
    const r = cli(
      'pretrain',
      'vision',
      '--method',
      'simclr',
      '--data',
      join(data, 'photos'),
      '--strict',
      '--steps',
      '1',
      '--out',
      join(work, 'strict-run'),
      '-q',
    );
    expect(r.code).toBe(1);
    expect(errorLine(r.err)).toMatch(/^autodidact: error: .*photos\/truncated\.jpg: cannot decode jpeg image/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
