/**
 * Kill -9 and resume, for the tests that check a resumed run against an uninterrupted one: a
 * child script written into the repository (so its bare imports resolve from the repository's
 * node_modules) and a loop that runs it, SIGKILLs it at random steps and restarts it until a
 * run finishes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Rng } from '../random/rng.js';

/** The repository root: the children's working folder. */
export const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * For the test file at `base` (its `import.meta.url`): how its child script names a module given
 * relative to that file, a quoted file URL to write after `from`.
 */
export function childImports(base: string): (rel: string) => string {
  return (rel) => JSON.stringify(pathToFileURL(fileURLToPath(new URL(rel, base))).href);
}

/**
 * A folder under `<repo>/tmp` holding `child.mts` with `source`, made before the tests and removed
 * after them; `path` and `script` are set then.
 */
export function childScriptDir(prefix: string, source: string): { readonly path: string; readonly script: string } {
  const dir = { path: '', script: '' };
  beforeAll(async () => {
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir.path = await mkdtemp(join(repo, 'tmp', prefix));
    dir.script = join(dir.path, 'child.mts');
    await writeFile(dir.script, source);
  });
  afterAll(async () => {
    await rm(dir.path, { recursive: true, force: true });
  });
  return dir;
}

/** What {@link runThroughKills} saw. */
export interface KillRuns {
  /** Whether a run printed `done`. */
  finished: boolean;
  /** How each run that did not finish ended: its signal, else its exit code. */
  unfinished: (NodeJS.Signals | number | null)[];
}

/**
 * Runs `node --import tsx <args>` up to `runs` times until a run prints the line `done`. Before
 * run `run` starts, `killAt(run, lastStep)` says after which reported step it is SIGKILLed
 * (a few milliseconds later, drawn from `rng`; Infinity lets it finish). `onLine` gets every other
 * line of the child's stdout and returns the step the line reports, if it reports one.
 */
export async function runThroughKills(options: {
  args: string[];
  env?: NodeJS.ProcessEnv;
  runs: number;
  rng: Rng;
  killAt: (run: number, lastStep: number) => number;
  onLine: (line: string) => number | undefined;
}): Promise<KillRuns> {
  const { rng } = options;
  let finished = false;
  let lastStep = 0;
  const unfinished: (NodeJS.Signals | number | null)[] = [];
  for (let run = 0; run < options.runs && !finished; run++) {
    const killAt = options.killAt(run, lastStep);
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...options.args], {
      cwd: repo,
      env: options.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().trim().split('\n')) {
        if (line === 'done') {
          finished = true;
          continue;
        }
        const step = options.onLine(line);
        if (step !== undefined) lastStep = Math.max(lastStep, step);
      }
      if (lastStep >= killAt && child.exitCode === null && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), rng.int(5));
      }
    });
    const code = await exit;
    if (!finished) unfinished.push(child.signalCode ?? code);
  }
  return { finished, unfinished };
}
