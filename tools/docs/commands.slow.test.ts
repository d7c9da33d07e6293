/**
 * Every shell command of the documentation runs as written: each fenced `sh` block command of
 * README.md, packages/<name>/README.md and docs/**\/*.md (tools/docs/doc-commands.ts says how they
 * are read, how placeholders are marked and which override a training command gets), on small
 * copies of the fetched data sets (tools/docs/small-data.ts). A command must exit 0 and write what
 * it says it writes (`--out`, `--plots`, `--markdown`, a redirection), or print something when it
 * names no output. The summary line gives the count.
 *
 * Each page runs in its own scratch workspace (a folder of links to the repository's top-level
 * entries, with `data/` pointing at the small copies and AUTODIDACT_DATA_DIR set to them), so the
 * `runs/...` and other outputs of a page land there and one page's commands can use the outputs of
 * its earlier ones. Blocks marked `cwd=repo` run at the repository root (they read git); their
 * pages run last and alone. The other pages run three at a time (much of a command's time is
 * start-up and loading, not arithmetic).
 *
 * Slow (every documented training command, bench and example), so not in `npm test`:
 * `npm run test:docs-commands`, a named job that CI runs after `npm test`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_SETS, dataDir, env, fetchDataSets } from '../../packages/core/src/index.js';
import { allDocCommands, type DocCommand, declaredOutputs, runnableCommand, where } from './doc-commands.js';
import { buildSmallData } from './small-data.js';

const root = resolve(import.meta.dirname, '..', '..');
/** Pages run at once (each page's commands run in order). */
const LANES = 3;
/** Longest a single command may take. */
const COMMAND_TIMEOUT_MS = 15 * 60_000;

interface Outcome {
  command: DocCommand;
  run: string;
  seconds: number;
  ok: boolean;
  problem?: string;
}

/** Runs one shell command; resolves with its exit code and output. */
function sh(command: string, cwd: string, envVars: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    // its own process group, so a timeout ends the command and everything it started
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: envVars,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** A folder of links to the repository's top-level entries, with `data` linked to `data`. */
function scratchWorkspace(parent: string, name: string, data: string): string {
  const dir = mkdtempSync(join(parent, `${name.replace(/[^\w.-]+/g, '_')}-`));
  for (const e of readdirSync(root)) {
    if (['.git', 'data', 'runs', 'tmp'].includes(e)) continue;
    symlinkSync(join(root, e), join(dir, e));
  }
  symlinkSync(data, join(dir, 'data'));
  return dir;
}

/** What is wrong with the outputs a command names, if anything. */
function checkOutputs(run: string, cwd: string, stdout: string): string | undefined {
  const outputs = declaredOutputs(run);
  for (const o of outputs) {
    const p = resolve(cwd, o);
    if (!existsSync(p)) return `it names ${o} as an output but did not write it`;
    const s = statSync(p);
    if (s.isDirectory() ? readdirSync(p).length === 0 : s.size === 0) return `its output ${o} is empty`;
  }
  if (outputs.length === 0 && stdout.trim() === '') return 'it names no output and printed nothing on stdout';
  return undefined;
}

describe('documentation commands', () => {
  it('every sh block command of the README, the package READMEs and docs/ runs on the fetched data', async () => {
    const started = performance.now();
    const commands = allDocCommands(root);
    const runnable = commands.filter((c) => !c.directive.skip && !c.directive.ci);
    const skipped = commands.filter((c) => c.directive.skip);
    const byCi = commands.filter((c) => c.directive.ci);

    // The data: every set a documented `data fetch` names, fetched for real, then copied small.
    const named = new Set<string>();
    for (const c of runnable) {
      const m = /autodidact data fetch((?:\s+[\w-]+)+)/.exec(c.text);
      for (const s of (m?.[1] ?? '').trim().split(/\s+/)) if (Object.hasOwn(DATA_SETS, s)) named.add(s);
    }
    fetchDataSets([...named], { say: (l) => console.log(`data: ${l}`) });
    const scratch = mkdtempSync(join(tmpdir(), 'autodidact-docs-'));
    const small = join(scratch, 'data');
    const copied = buildSmallData(dataDir(), small, Object.keys(DATA_SETS));
    // the text modality's party split of the speeches, made once here rather than by two pages at once
    const saved = env.dataDir;
    env.dataDir = small;
    try {
      const { sotuPartySplit } = await import('@autodidact/text');
      await sotuPartySplit();
    } finally {
      env.dataDir = saved;
    }
    console.log(`data: small copies of ${copied.sets.join(', ')} (${copied.files} files) in ${small}`);

    const envVars: NodeJS.ProcessEnv = { ...process.env, AUTODIDACT_DATA_DIR: small };
    // what vitest and npm set for themselves is not the user's environment
    for (const k of Object.keys(envVars)) if (/^VITEST|^npm_|^NODE_OPTIONS$|^NODE_ENV$/.test(k)) delete envVars[k];

    // Pages in order; identical commands that write nothing and read no earlier output run once.
    const pages = [...new Set(runnable.map((c) => c.file))];
    const seen = new Map<string, Outcome>();
    const outcomes: Outcome[] = [];
    let distinct = 0;
    const runPage = async (page: string) => {
      const cwd = scratchWorkspace(scratch, page, small);
      for (const c of runnable.filter((x) => x.file === page)) {
        let run: string;
        try {
          run = runnableCommand(c);
        } catch (err) {
          outcomes.push({ command: c, run: c.text, seconds: 0, ok: false, problem: (err as Error).message });
          continue;
        }
        const shareable = declaredOutputs(run).length === 0 && !/\bruns\//.test(run);
        const earlier = shareable ? seen.get(run) : undefined;
        if (earlier) {
          outcomes.push({ ...earlier, command: c });
          continue;
        }
        distinct++;
        const t = performance.now();
        const r = await sh(run, c.directive.repoCwd ? root : cwd, envVars);
        const seconds = (performance.now() - t) / 1000;
        const problem =
          r.code !== 0
            ? `exit ${r.code}; stderr ends: ${r.stderr
                .trim()
                .split('\n')
                .filter((l) => !l.startsWith('npm warn'))
                .slice(-6)
                .join(' | ')}`
            : checkOutputs(run, c.directive.repoCwd ? root : cwd, r.stdout);
        const outcome: Outcome = { command: c, run, seconds, ok: !problem, ...(problem ? { problem } : {}) };
        console.log(`${outcome.ok ? 'ok  ' : 'FAIL'} ${seconds.toFixed(1).padStart(6)} s  ${where(c)}  ${run}`);
        if (problem) console.log(`     ${problem}`);
        if (shareable) seen.set(run, outcome);
        outcomes.push(outcome);
      }
    };
    // Pages with a block run at the repository root go last, alone: `nx release --dry-run` runs the
    // workspace build, which rewrites the dist/ files that commands of other pages are loading.
    const atRoot = new Set(runnable.filter((c) => c.directive.repoCwd).map((c) => c.file));
    const queue = pages.filter((p) => !atRoot.has(p));
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        for (let page = queue.shift(); page; page = queue.shift()) await runPage(page);
      }),
    );
    for (const page of pages.filter((p) => atRoot.has(p))) await runPage(page);

    const failed = outcomes.filter((o) => !o.ok);
    const reasons = [...new Set(skipped.map((c) => `${c.file}: ${c.directive.skip}`))];
    console.log(
      `docs commands: ${outcomes.length} run (${distinct} distinct) from ${pages.length} pages in ` +
        `${((performance.now() - started) / 1000).toFixed(0)} s, ${failed.length} failed; ` +
        `${byCi.length} run by CI itself (checked present in the files named); ` +
        `${skipped.length} skipped by a directive: ${reasons.join('; ')}`,
    );
    rmSync(scratch, { recursive: true, force: true });
    expect(failed.map((o) => `${where(o.command)}: ${o.run}\n  ${o.problem}`)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(100);
  }, 3_600_000);
});
