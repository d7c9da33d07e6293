/**
 * Installs the packages as a user gets them and runs the quick start against them: builds the
 * workspace, prunes stale outputs, `npm pack`s every package into a temporary folder, creates an
 * empty project there, `npm install`s the tarballs (third-party dependencies from the registry),
 * runs every package's bin with --help and `autodidact methods vision`, runs quick-start.mjs (20 SimCLR steps on an MNIST subset from the
 * repo's data/, then embeds), and prints the timing of each phase. Exits 1 on any failure.
 *
 * Run: `node --import tsx tools/publish/install-smoke.ts [--no-build] [--keep]`
 * (`--no-build` uses the current dist/; `--keep` leaves the temporary project for inspection).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishablePackages, REPO } from './package-files.js';
import { pruneDist } from './prune-dist.js';

/** Seconds per phase and what the quick start printed. */
export interface SmokeResult {
  dir: string;
  tarballs: string[];
  /** Commands linked into the project's node_modules/.bin that ran with --help. */
  bins: string[];
  seconds: { build: number; pack: number; install: number; quickStart: number };
  quickStart: {
    backend: string;
    steps: number;
    firstLoss: number;
    finalLoss: number;
    embeddings: number[];
    finite: boolean;
    seconds: Record<string, number>;
  };
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const run = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  }
  return run.stdout;
}

const since = (t: number) => Math.round((performance.now() - t) / 100) / 10;

/** The MNIST training images the quick start reads (AUTODIDACT_DATA_DIR or <repo>/data). */
export function mnistImages(): string {
  const dataDir = process.env.AUTODIDACT_DATA_DIR ? resolve(process.env.AUTODIDACT_DATA_DIR) : join(REPO, 'data');
  return join(dataDir, 'mnist', 'train-images-idx3-ubyte');
}

/** Runs the whole smoke test; throws with the failing command's output. */
export function installSmoke(
  options: { build?: boolean; keep?: boolean; log?: (line: string) => void } = {},
): SmokeResult {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const mnist = mnistImages();
  if (!existsSync(mnist)) throw new Error(`${mnist} is missing: run npx autodidact data fetch mnist`);
  const dir = mkdtempSync(join(tmpdir(), 'autodidact-install-smoke-'));
  try {
    let t = performance.now();
    if (options.build !== false) {
      log('building the workspace (npm run build)');
      sh('npm', ['run', 'build'], REPO);
    }
    const packages = publishablePackages();
    for (const pkg of packages) {
      const removed = pruneDist(pkg);
      if (removed.length) log(`pruned ${removed.length} stale files from ${pkg.json.name}`);
    }
    const build = since(t);

    t = performance.now();
    const tarballDir = join(dir, 'tarballs');
    mkdirSync(tarballDir);
    for (const pkg of packages) sh('npm', ['pack', '--ignore-scripts', '--pack-destination', tarballDir], pkg.dir);
    const tarballs = readdirSync(tarballDir)
      .filter((f) => f.endsWith('.tgz'))
      .sort();
    log(`packed ${tarballs.join(', ')}`);
    const pack = since(t);

    t = performance.now();
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'autodidact-install-smoke', private: true, type: 'module' }, null, 2)}\n`,
    );
    log('npm install of the tarballs into an empty project');
    sh('npm', ['install', '--no-audit', '--no-fund', ...tarballs.map((f) => join(tarballDir, f))], app);
    const install = since(t);

    t = performance.now();
    // every package's commands are linked and run
    const bins = packages.flatMap((p) => (typeof p.json.bin === 'object' ? Object.keys(p.json.bin) : []));
    for (const bin of bins) sh(join(app, 'node_modules', '.bin', bin), ['--help'], app);
    log(`bins run: ${bins.join(', ')}`);
    // the core bin lists the methods of the installed modalities
    const methods = sh(join(app, 'node_modules', '.bin', 'autodidact'), ['methods', 'vision'], app);
    if (!/simclr/.test(methods)) throw new Error(`'autodidact methods vision' did not list simclr:\n${methods}`);
    copyFileSync(fileURLToPath(new URL('./quick-start.mjs', import.meta.url)), join(app, 'quick-start.mjs'));
    const out = sh(process.execPath, ['quick-start.mjs', mnist], app).trim().split('\n').pop()!;
    const quickStart = JSON.parse(out) as SmokeResult['quickStart'];
    const seconds = { build, pack, install, quickStart: since(t) };
    return { dir, tarballs, bins, seconds, quickStart };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const r = installSmoke({ build: !process.argv.includes('--no-build'), keep: process.argv.includes('--keep') });
    const q = r.quickStart;
    process.stdout.write(
      `install smoke ok${process.argv.includes('--keep') ? ` (kept ${r.dir})` : ''}\n` +
        `  seconds: build ${r.seconds.build}, pack ${r.seconds.pack}, npm install ${r.seconds.install}, ` +
        `quick start ${r.seconds.quickStart} (setup ${q.seconds.setup?.toFixed(1)}, train ${q.seconds.train?.toFixed(1)}, embed ${q.seconds.embed?.toFixed(1)})\n` +
        `  quick start: backend ${q.backend}, ${q.steps} steps, loss ${q.firstLoss.toFixed(3)} -> ${q.finalLoss.toFixed(3)}, ` +
        `embeddings [${q.embeddings.join(', ')}]\n`,
    );
  } catch (err) {
    process.stderr.write(`install smoke FAILED: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
