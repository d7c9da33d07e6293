import { Command, Option } from 'commander';
import { DATA_MODES } from '../data/data-mode.js';
import { env } from '../env.js';
import { AutodidactError } from '../errors.js';
import { dataFetchCommand, dataListCommand } from './commands/data.js';
import { embedCommand } from './commands/embed.js';
import { EXPORT_FORMATS, exportCommand } from './commands/export.js';
import { finetuneCommand } from './commands/finetune.js';
import { methodsCommand } from './commands/methods.js';
import { pretrainCommand } from './commands/pretrain.js';
import { probeCommand } from './commands/probe.js';
import { KNOWN_MODALITIES, loadModality } from './load-modality.js';
import { loaderCommanderOption, loaderOptionsHelp } from './loader-options.js';
import { logFormatOf, reportCliError } from './log-output.js';
import type { Modality, ModalityCommand } from './modality.js';
import { describeMethodOptions } from './parse-options.js';
import { peekSavedModality } from './restore-encoder.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Commands that read data through a modality's loaders, and so take its data flags. */
const DATA_COMMANDS = ['pretrain', 'embed', 'probe', 'finetune'] as const;

/** What `buildProgram` knows before parsing. */
export interface ProgramContext {
  /** The modality of this invocation (from `pretrain <modality>`, or an `embed`/`probe` checkpoint): its data flags are added. */
  modality?: Modality<unknown>;
  /** Installed modalities, for the data-flag section of `--help` when the modality is not known. */
  installed?: readonly Modality<unknown>[];
}

/** `pretrain <modality> --help`: the modality's methods, each with its option schema (`--option` keys, types, bounds, defaults, meanings). */
export function methodsHelp(modality: Modality<unknown>): string {
  const lines = [
    '',
    `Methods of ${modality.name} (--method <name>; set a method's options with --option key=value,`,
    'value as JSON, e.g. --option temperature=0.2; each option: name, type and bounds, default, meaning):',
  ];
  for (const m of modality.methods.list()) {
    lines.push(`  ${m.name.padEnd(14)} ${m.description}`);
    lines.push(...describeMethodOptions(m.schema, m.defaults, '      '));
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the `autodidact` program. Exported for tests and for embedding in other CLIs. */
export function buildProgram(context: ProgramContext = {}): Command {
  const program = new Command('autodidact')
    .description(
      'Self-supervised learning from unlabelled data: pretrain an encoder, embed data, probe or fine-tune it, export it.\n' +
        `Modalities: ${KNOWN_MODALITIES.join(', ')} (each from its @autodidact/<modality> package).\n` +
        "Run 'autodidact methods' to list the methods of the installed modalities.\n" +
        'Modality packages add commands of their own: yarowsky (@autodidact/text).',
    )
    .showHelpAfterError()
    .exitOverride();

  const backendOption = () =>
    new Option('--backend <name>', 'tensor backend (default: fastest available; env AUTODIDACT_BACKEND)').choices([
      'tensorflow',
      'native',
      'cpu',
      'wasm',
    ]);

  const logFormatOption = () =>
    new Option('--log-format <format>', 'stderr progress and messages (default: env AUTODIDACT_LOG_FORMAT)').choices([
      'text',
      'json',
    ]);

  program
    .command('pretrain')
    .description('pretrain an encoder with a self-supervised method and save it to --out')
    .argument('<modality>', `one of ${KNOWN_MODALITIES.join(', ')}`)
    .requiredOption('--method <name>', "self-supervised method (see 'autodidact methods')")
    .option('--data <path>', "unlabelled data: a file or folder (default: the modality's embedded data set)")
    .option('--out <dir>', 'output folder for checkpoints and the trained encoder', 'runs/latest')
    .option('--epochs <n>', 'passes over the data')
    .option('--steps <n>', 'stop after this many optimizer steps (overrides --epochs)')
    .option('--batch-size <n>', 'samples per step')
    .option('--lr <x>', 'peak learning rate')
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adam', 'adamw', 'sgd', 'lars']))
    .option('--seed <n>', 'random seed', '0')
    .option('--limit <n>', 'use at most this many samples')
    .option('--option <key=value>', 'method option (repeatable), e.g. --option temperature=0.2', collect, [])
    .option('--no-resume', 'start afresh even if --out holds a checkpoint')
    .option(
      '--checkpoint-every <n|time>',
      'checkpoint every n steps (e.g. 200) or every so much wall time (e.g. 30s, 5m, 1h); default: 500 steps or 2 minutes, whichever comes first',
    )
    .option('--no-eval', 'skip the linear-probe evaluation after pretraining on the default data set')
    .option('--probe-train-limit <n>', 'labelled samples for the evaluation probe', '10000')
    .option('--plots <dir>', 'also write the figures (training curves, embedding map) as SVG files to this folder')
    .option('--no-report', 'do not write <out>/report.html (the HTML run report)')
    .option('--map-samples <n>', 'samples in the 2-D UMAP embedding map (0: no map)', '1000')
    .option(
      '--monitor <path>',
      'labelled data (e.g. a validation split, never the test set) for an online kNN monitor: every --monitor-every steps, kNN accuracy (k=20, T=0.07) of a fixed sample, in the progress line, metrics.jsonl (monitor_knn_accuracy) and the report',
    )
    .option('--monitor-every <n>', 'steps between monitor evaluations (default: about 20 per run, and the last step)')
    .option(
      '--monitor-size <n>',
      'samples in the monitor sample, stratified by class, split in half into kNN bank and queries (default 1000)',
    )
    .option('--keep-best', 'keep the checkpoint of the best monitor score in <out>/best (needs --monitor)')
    .option('--strict', 'stop at the first bad data file (default: skip it with a warning and count it)')
    .addOption(
      new Option(
        '--data-mode <mode>',
        'decoded samples in memory, or streamed from disk by data workers (auto: memory up to 1 GiB)',
      ).choices([...DATA_MODES]),
    )
    .option('--allow-slow', 'train even when the run is estimated to take over an hour on the slow pure-JS backend')
    .addOption(backendOption())
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(pretrainCommand);

  program
    .command('embed')
    .description('write the embedding of every sample of --data with a trained encoder')
    .argument('<checkpoint>', 'a folder written by pretrain')
    .requiredOption('--data <path>', 'data to embed (a file or folder)')
    .requiredOption('--out <file>', 'output file (.json or .npy)')
    .option('--batch-size <n>', 'samples per batch', '256')
    .option('--limit <n>', 'embed at most this many samples')
    .option('--strict', 'stop at the first bad data file (default: skip it with a warning and count it)')
    .addOption(backendOption())
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(embedCommand);

  program
    .command('probe')
    .description('train a linear or kNN probe on frozen embeddings; prints one JSON line with the accuracy')
    .argument('<checkpoint>', 'a folder written by pretrain')
    .requiredOption('--train <path>', 'labelled training data (a folder with one subfolder per class, or IDX)')
    .requiredOption('--test <path>', 'labelled test data')
    .addOption(new Option('--kind <kind>', 'probe kind').choices(['linear', 'knn']).default('linear'))
    .option('--k <n>', 'neighbours for the kNN probe', '20')
    .option('--train-limit <n>', 'use at most this many training samples')
    .option('--test-limit <n>', 'use at most this many test samples')
    .option('--random-init', 'probe a randomly initialised encoder of the same architecture (the baseline)')
    .option('--seed <n>', 'random seed', '0')
    .option('--strict', 'stop at the first bad data file (default: skip it with a warning and count it)')
    .addOption(backendOption())
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(probeCommand);

  program
    .command('finetune')
    .description(
      'fine-tune a trained encoder with a fresh classification head on labelled data; prints one JSON line ' +
        "with the test accuracy beside the same encoder's frozen linear probe",
    )
    .argument('<modality>', `one of ${KNOWN_MODALITIES.join(', ')} (must match the encoder's)`)
    .requiredOption('--checkpoint <path>', 'a folder written by pretrain (or finetune --out), or its encoder.json')
    .requiredOption('--data <path>', 'labelled training data (a folder with one subfolder per class, or IDX)')
    .requiredOption('--test <path>', 'labelled test data')
    .option('--steps <n>', 'optimizer steps (default: --epochs passes over the training labels)')
    .option('--epochs <n>', 'passes over the training labels when --steps is not given', '10')
    .option('--lr <x>', "the encoder's peak learning rate", '1e-4')
    .option('--head-lr <x>', "the head's peak learning rate (default: 10x --lr)")
    .option('--batch-size <n>', 'samples per step', '32')
    .option('--weight-decay <x>', 'L2 weight decay on weight matrices', '1e-4')
    .option('--label-fraction <x>', 'train on this class-balanced fraction of the labels, e.g. 0.01 or 0.1', '1')
    .addOption(
      new Option('--freeze <what>', "'encoder': train the head only (an end-to-end probe)").choices([
        'none',
        'encoder',
      ]),
    )
    .option('--head-hidden <widths>', 'hidden widths of an MLP head, comma-separated (default: linear head)')
    .option('--train-limit <n>', 'use at most this many training samples')
    .option('--test-limit <n>', 'use at most this many test samples')
    .option('--random-init', 'fine-tune a randomly initialised encoder of the same architecture (the baseline)')
    .option(
      '--out <dir>',
      'save the fine-tuned encoder here (as pretrain does: embed, probe and export accept it); checkpoints go to <out>/checkpoints and a killed run resumes from them',
    )
    .option(
      '--checkpoint-every <n|time>',
      'checkpoint every n steps (e.g. 200) or every so much wall time (e.g. 30s, 5m); default: 500 steps or 2 minutes, whichever comes first (needs --out)',
    )
    .option('--no-resume', 'start afresh even if <out>/checkpoints holds a checkpoint')
    .option('--seed <n>', 'random seed (label subset, head, batch order)', '0')
    .option('--strict', 'stop at the first bad data file (default: skip it with a warning and count it)')
    .addOption(backendOption())
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(finetuneCommand);

  program
    .command('export')
    .description('write a trained encoder as a tfjs layers model (browsers) or an ONNX model (onnxruntime)')
    .argument('<encoder>', 'a folder written by pretrain, or its encoder.json')
    .addOption(new Option('--format <format>', 'export format').choices([...EXPORT_FORMATS]).default('tfjs'))
    .requiredOption('--out <dir>', 'output folder')
    .addOption(backendOption())
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(exportCommand);

  addDataOptions(program, context);

  program
    .command('methods')
    .description('list the methods of the installed modality packages')
    .argument('[modality]', 'only this modality')
    .action(methodsCommand);

  const data = program
    .command('data')
    .description("the data sets the examples, the docs and each modality's default data use (npm registry, Debian)");
  data.command('list').description('every data set, whether it is fetched, and what it holds').action(dataListCommand);
  data
    .command('fetch')
    .description("download data sets into AUTODIDACT_DATA_DIR or data/ (skips those already there); see 'data list'")
    .argument('[sets...]', 'set names (default: the default sets)')
    .option('--all', 'every set, not only the default ones')
    .option('-q, --quiet', 'no progress output')
    .addOption(logFormatOption())
    .action(dataFetchCommand);

  return program;
}

/**
 * Adds the modality's declared loader options to the data commands (git-style: the modality is
 * loaded before the command is built), and the methods listing to `pretrain --help`. Without a
 * known modality, `--help` lists every installed modality's data flags instead.
 */
function addDataOptions(program: Command, context: ProgramContext): void {
  const { modality } = context;
  for (const name of DATA_COMMANDS) {
    const cmd = program.commands.find((c) => c.name() === name)!;
    if (modality) {
      for (const spec of modality.loaderOptions ?? []) {
        const option = loaderCommanderOption(spec);
        if (cmd.options.some((o) => o.long === option.long || o.attributeName() === option.attributeName())) {
          throw new Error(`${modality.name} declares loader option '${spec.name}', which ${name} already has`);
        }
        cmd.addOption(option.helpGroup(`Data options of ${modality.name}:`));
      }
      if (name === 'pretrain') cmd.addHelpText('after', methodsHelp(modality));
    } else {
      if (name === 'pretrain') {
        cmd.addHelpText(
          'after',
          "\nRun 'autodidact pretrain <modality> --help' for that modality's methods, their --option keys and defaults, and its data options.",
        );
      }
      if (context.installed) cmd.addHelpText('after', loaderOptionsHelp(context.installed, name));
    }
  }
}

/**
 * The first operand of a command's arguments (its `<modality>` or `<checkpoint>`), skipping
 * options and their values. Options the command does not know yet are a modality's data flags,
 * which all take a value.
 */
export function firstOperand(cmd: Command, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1];
    if (a.startsWith('-') && a.length > 1) {
      if (a.includes('=') || a === '-h' || a === '--help') continue;
      const opt = cmd.options.find((o) => o.long === a || o.short === a);
      if (opt ? opt.required || opt.optional : true) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** The modality a data command works on, loaded; undefined when it cannot be told or loaded. */
async function modalityOfInvocation(argv: readonly string[], base: Command): Promise<Modality<unknown> | undefined> {
  const name = argv[0];
  const cmd = base.commands.find((c) => c.name() === name);
  if (!cmd || !(DATA_COMMANDS as readonly string[]).includes(name!)) return undefined;
  const operand = firstOperand(cmd, argv.slice(1));
  if (operand === undefined) return undefined;
  const modalityName = name === 'embed' || name === 'probe' ? peekSavedModality(operand) : operand;
  if (!modalityName) return undefined;
  try {
    return await loadModality(modalityName);
  } catch (err) {
    if (err instanceof AutodidactError) return undefined; // the command reports it when it runs
    throw err;
  }
}

/** The installed modalities (for `--help` of a data command whose modality is unknown). */
async function installedModalities(): Promise<Modality<unknown>[]> {
  const out: Modality<unknown>[] = [];
  for (const name of KNOWN_MODALITIES) {
    try {
      out.push(await loadModality(name));
    } catch (err) {
      if (!(err instanceof AutodidactError)) throw err;
    }
  }
  return out;
}

/**
 * Finds a top-level command that an installed modality package adds (e.g. text's `yarowsky`).
 * Modalities that are not installed are skipped.
 */
async function findModalityCommand(name: string): Promise<ModalityCommand | undefined> {
  for (const modality of KNOWN_MODALITIES) {
    try {
      const command = (await loadModality(modality)).commands?.[name];
      if (command) return command;
    } catch (err) {
      if (!(err instanceof AutodidactError)) throw err;
    }
  }
  return undefined;
}

/**
 * Runs the CLI; returns the exit code (0 ok, 1 error, 2 usage). Never throws. Every error ends
 * in one stderr line: text, or with `--log-format json` (or AUTODIDACT_LOG_FORMAT=json) one
 * JSON object, commander's usage errors included.
 */
export async function main(argv: string[]): Promise<number> {
  const format = logFormatOf(argv, env.logFormat);
  // Commander prints usage errors (and the help after them) itself; in JSON mode the catch
  // below reports them as one object instead.
  const quietInJson = (program: Command): Command => {
    if (format !== 'json') return program;
    const silence = (c: Command): void => {
      c.configureOutput({ writeErr: () => undefined, outputError: () => undefined }).showHelpAfterError(false);
      for (const sub of c.commands) silence(sub);
    };
    silence(program);
    return program;
  };
  let program = quietInJson(buildProgram());
  try {
    const modality = await modalityOfInvocation(argv, program);
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    if (modality) program = quietInJson(buildProgram({ modality }));
    else if (wantsHelp && (DATA_COMMANDS as readonly string[]).includes(argv[0] ?? '')) {
      program = quietInJson(buildProgram({ installed: await installedModalities() }));
    }
    const first = argv[0];
    if (first && !first.startsWith('-') && first !== 'help' && !program.commands.some((c) => c.name() === first)) {
      const command = await findModalityCommand(first);
      if (command) {
        await command.run(argv.slice(1));
        return 0;
      }
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    const { exitCode, line } = reportCliError(err, format);
    if (line) process.stderr.write(line);
    return exitCode;
  }
}
