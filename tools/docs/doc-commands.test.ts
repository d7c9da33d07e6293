/**
 * How the documentation's shell commands are read (tools/docs/doc-commands.ts), and a static check
 * of every page, fast enough for `npm test`: each command parses, each placeholder has its
 * substitute, each command that CI runs itself is in the file the page names, and nothing is
 * written as `...` or as a bare `autodidact` that only works with a global install. Running the
 * commands is tools/docs/commands.slow.test.ts (`npm run test:docs-commands`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allDocCommands,
  declaredOutputs,
  exampleSteps,
  extractCommands,
  overrideFor,
  runnableCommand,
  where,
} from './doc-commands.js';

const root = resolve(import.meta.dirname, '..', '..');

describe('documentation commands: reading', () => {
  const page = [
    'text',
    '<!-- commands: path/to/wavs=data/spoken-digits; cwd=repo -->',
    '```sh',
    '# a comment line',
    'npx autodidact pretrain audio --method cpc --data path/to/wavs \\',
    '    --out runs/cpc   # trailing comment',
    '',
    "jq -c 'select(.a # b)' log.jsonl",
    '```',
    '```ts',
    'npx not a command',
    '```',
    '<!-- commands: skip a real release; it publishes -->',
    '```sh',
    'npm publish',
    '```',
  ].join('\n');

  it('joins continuations, drops comments, reads directives, ignores other languages', () => {
    const cmds = extractCommands('p.md', page);
    expect(cmds.map((c) => [c.line, c.text])).toEqual([
      [5, 'npx autodidact pretrain audio --method cpc --data path/to/wavs --out runs/cpc'],
      [8, "jq -c 'select(.a # b)' log.jsonl"],
      [15, 'npm publish'],
    ]);
    expect(cmds[0]!.directive).toEqual({ placeholders: { wavs: 'data/spoken-digits' }, repoCwd: true });
    expect(cmds[2]!.directive.skip).toBe('a real release; it publishes');
  });

  it('substitutes placeholders, appends the override, and refuses an unmapped placeholder', () => {
    const [c] = extractCommands('p.md', page);
    expect(runnableCommand(c!)).toBe(
      'npx autodidact pretrain audio --method cpc --data data/spoken-digits --out runs/cpc --steps 2 --probe-train-limit 200 --map-samples 50',
    );
    expect(() => runnableCommand({ ...c!, directive: { placeholders: {} } })).toThrow(
      /p\.md:5: placeholder path\/to\/wavs has no substitute/,
    );
  });

  it('overrides by kind of command', () => {
    expect(overrideFor('npx autodidact probe r --train a --test b')).toEqual([
      '--train-limit',
      '200',
      '--test-limit',
      '100',
    ]);
    expect(overrideFor('npx autodidact export r --out x')).toEqual([]);
    expect(overrideFor('npx autodidact pretrain --help')).toEqual([]);
    expect(overrideFor('npx autodidact-classics crar --out runs/crar')).toEqual(['--steps', '10']);
    expect(overrideFor('npx autodidact-multimodal clip --pairing fashion-text --out runs/clip')).toEqual([
      '--steps',
      '10',
      '--train-images',
      '500',
      '--test-images',
      '200',
    ]);
    expect(overrideFor('npm run bench:audio')).toEqual(['--', '--smoke']);
    expect(overrideFor('npm run bench:endurance -- --steps 10000')).toEqual(['--smoke']);
    expect(overrideFor('OPENBLAS_NUM_THREADS=1 node --import tsx tools/bench/vision-results.ts --methods all')).toEqual(
      ['--smoke'],
    );
    expect(overrideFor('nice -n 10 node --import tsx tools/bench/classics-results.ts')).toEqual(['--smoke']);
    expect(overrideFor('nice -n 19 env OPENBLAS_NUM_THREADS=1 npm run bench:classics')).toEqual(['--', '--smoke']);
    expect(overrideFor('nice -n 19 env OPENBLAS_NUM_THREADS=1 npm run bench:multimodal -- 300 --lr 6e-3')).toEqual([
      '--smoke',
    ]);
    expect(overrideFor('npm run docs')).toEqual([]);
    expect(exampleSteps('node --import tsx packages/vision/examples/quickstart.ts', 3)).toBe(
      'node --import tsx packages/vision/examples/quickstart.ts 3',
    );
    expect(exampleSteps('node --import tsx packages/multimodal/examples/clip-digits.ts fashion-text 300', 3)).toBe(
      'node --import tsx packages/multimodal/examples/clip-digits.ts fashion-text 3',
    );
    expect(declaredOutputs('a --out runs/x --plots p 2> log.jsonl > out.txt')).toEqual([
      'runs/x',
      'p',
      'log.jsonl',
      'out.txt',
    ]);
  });
});

describe('documentation commands: every page', () => {
  const commands = allDocCommands(root);

  it('finds the commands (self-check)', () => {
    expect(commands.length).toBeGreaterThan(100);
    expect(new Set(commands.map((c) => c.file)).size).toBeGreaterThan(20);
  });

  it('each command parses, with its placeholders substituted and no `...` or bare `autodidact`', () => {
    const problems: string[] = [];
    for (const c of commands.filter((x) => !x.directive.skip && !x.directive.ci)) {
      try {
        const run = runnableCommand(c);
        if (/(^|\s)\.\.\.(\s|$)/.test(run)) problems.push(`${where(c)}: '...' is not runnable; write the path`);
        if (/^autodidact(-classics)?\s/.test(run)) problems.push(`${where(c)}: write npx ${run.split(' ')[0]}`);
        if (/(^|\s)\[--/.test(run)) problems.push(`${where(c)}: [--option] usage is not runnable`);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    expect(problems).toEqual([]);
  });

  it('each command that CI runs itself appears verbatim in a file the page names', () => {
    const missing = commands
      .filter((c) => c.directive.ci)
      .filter(
        (c) =>
          !c.directive.ci!.some(
            (f) => existsSync(join(root, f)) && readFileSync(join(root, f), 'utf8').includes(c.text),
          ),
      )
      .map((c) => `${where(c)}: '${c.text}' is in none of ${c.directive.ci!.join(', ')}`);
    expect(missing).toEqual([]);
  });
});
