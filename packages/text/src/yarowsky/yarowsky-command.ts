/**
 * `autodidact yarowsky --corpus <files...> --word <w> --seeds <file>`: bootstraps the senses of
 * a word from seed collocations and prints the iterations, the strongest rules, the sense counts
 * and example contexts per sense (or JSON with `--json`).
 */
import { ConfigError, type ModalityCommand } from '@autodidact/core';
import { Command, CommanderError } from 'commander';
import { findOccurrences } from './occurrences.js';
import { readSeeds } from './seeds.js';
import { DEFAULT_DISCOURSE_WORDS, seedLabels, yarowsky } from './yarowsky.js';

interface Flags {
  corpus: string[];
  word: string;
  forms?: string[];
  seeds: string;
  window: string;
  threshold: string;
  examples: string;
  discourse: boolean;
  discourseWords: string;
  json?: boolean;
}

function positive(name: string, v: string, integer = true): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new ConfigError(`expected a non-negative ${integer ? 'integer' : 'number'}, got '${v}'`, { field: name });
  return n;
}

/** Runs the command on its arguments. */
export async function runYarowsky(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<void> {
  const program = new Command('autodidact yarowsky')
    .description('Yarowsky (1995) word-sense bootstrapping from seed collocations')
    .requiredOption('--corpus <paths...>', 'text files or folders (each file is one discourse)')
    .requiredOption('--word <word>', 'the ambiguous word')
    .option('--forms <forms...>', 'surface forms counted as the word (default: the word and word+s)')
    .requiredOption('--seeds <file>', "seed file: lines '<sense> <seed word> ...'")
    .option('--window <k>', 'half-width of the context window in words', '10')
    .option('--threshold <ll>', 'minimum log-likelihood of a labelling rule', String(Math.log(10)))
    .option('--examples <n>', 'example contexts to print per sense', '5')
    .option('--no-discourse', 'leave out the one-sense-per-discourse step')
    .option(
      '--discourse-words <n|file>',
      'a discourse is a block of this many words of a file, or the whole file',
      String(DEFAULT_DISCOURSE_WORDS),
    )
    .option('--json', 'print one JSON object instead of text')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (s) => out(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return;
      throw new ConfigError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const f = program.opts<Flags>();
  const window = positive('--window', f.window);
  const threshold = positive('--threshold', f.threshold, false);
  const examples = positive('--examples', f.examples);
  const discourseWords = f.discourseWords === 'file' ? Number.POSITIVE_INFINITY : Number(f.discourseWords);
  if (!(Number.isInteger(discourseWords) && discourseWords > 0) && discourseWords !== Number.POSITIVE_INFINITY)
    throw new ConfigError(`expected a positive number of words or 'file', got '${f.discourseWords}'`, {
      field: '--discourse-words',
    });
  const seeds = await readSeeds(f.seeds);
  const word = f.word.toLowerCase();
  const forms = f.forms ?? [word, `${word}s`];
  const { occurrences, files } = await findOccurrences(f.corpus, { forms, window });
  if (occurrences.length === 0)
    throw new ConfigError(`'${word}' does not occur in the corpus (${files.length} files)`, { field: '--word' });
  const seed = seedLabels(occurrences, seeds.features);
  const res = yarowsky(occurrences, seed, seeds.senses.length, {
    threshold,
    oneSensePerDiscourse: f.discourse,
    discourseWords,
  });
  const perSense = seeds.senses.map((_, s) => res.labels.filter((l) => l === s).length);
  const byRule = seeds.senses.map((_, s) => res.labels.filter((l, i) => l === s && res.decidedByRule[i]).length);
  const exampleLines = seeds.senses.map((_, s) =>
    occurrences
      .map((o, i) => ({ o, i }))
      .filter(({ i }) => res.labels[i] === s && seed[i]! < 0)
      .slice(0, examples)
      .map(({ o }) => o.context),
  );
  const rules = res.decisionList.rules.slice(0, 10).map((r) => ({
    feature: r.feature,
    sense: seeds.senses[r.sense],
    logLikelihood: Number(r.logLikelihood.toFixed(2)),
    count: r.count,
  }));
  if (f.json) {
    out(
      JSON.stringify({
        word,
        forms,
        files: files.length,
        occurrences: occurrences.length,
        senses: seeds.senses,
        seeded: seed.filter((s) => s >= 0).length,
        iterations: res.iterations,
        perSense,
        rules,
        examples: exampleLines,
      }),
    );
    return;
  }
  out(
    `yarowsky: '${word}' (${forms.join(', ')}): ${occurrences.length} occurrences in ${files.length} files; ${seed.filter((s) => s >= 0).length} labelled by the seeds`,
  );
  for (const it of res.iterations)
    out(
      `  iteration ${it.iteration}: ${it.labelled} labelled (${it.perSense.map((c, s) => `${seeds.senses[s]} ${c}`).join(', ')})`,
    );
  out('strongest rules:');
  for (const r of rules)
    out(`  ${r.logLikelihood.toFixed(2).padStart(6)}  ${r.feature.padEnd(28)} -> ${r.sense} (${r.count})`);
  seeds.senses.forEach((name, s) => {
    out(`${name}: ${perSense[s]} occurrences (${byRule[s]} by a rule)`);
    for (const e of exampleLines[s]!) out(`  ... ${e} ...`);
  });
}

/** The `yarowsky` command the text modality adds to the CLI. */
export const yarowskyCommand: ModalityCommand = {
  description:
    'word-sense bootstrapping from seed collocations (Yarowsky 1995): --corpus <files> --word <w> --seeds <file>',
  run: (argv) => runYarowsky(argv),
};
