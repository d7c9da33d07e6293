import { Command, CommanderError, Option } from 'commander';
import { AutodidactError } from '../errors.js';
import { dataFetchCommand, dataListCommand } from './commands/data.js';
import { embedCommand } from './commands/embed.js';
import { EXPORT_FORMATS, exportCommand } from './commands/export.js';
import { finetuneCommand } from './commands/finetune.js';
import { methodsCommand } from './commands/methods.js';
import { pretrainCommand } from './commands/pretrain.js';
import { probeCommand } from './commands/probe.js';
import { KNOWN_MODALITIES, loadModality } from './load-modality.js';
import type { ModalityCommand } from './modality.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Builds the `autodidact` program. Exported for tests and for embedding in other CLIs. */
export function buildProgram(): Command {
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
    .option('--no-eval', 'skip the linear-probe evaluation after pretraining on the default data set')
    .option('--probe-train-limit <n>', 'labelled samples for the evaluation probe', '10000')
    .option('--plots <dir>', 'also write the figures (training curves, embedding map) as SVG files to this folder')
    .option('--no-report', 'do not write <out>/report.html (the HTML run report)')
    .option('--map-samples <n>', 'samples in the 2-D UMAP embedding map (0: no map)', '1000')
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
    .option('--out <dir>', 'save the fine-tuned encoder here (as pretrain does: embed, probe and export accept it)')
    .option('--seed <n>', 'random seed (label subset, head, batch order)', '0')
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

/** Runs the CLI; returns the exit code (0 ok, 1 error, 2 usage). Never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    if (err instanceof AutodidactError) {
      process.stderr.write(`autodidact: error: ${err.message}\n`);
      return err.code === 'CONFIG' ? 2 : 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR' || e.code === 'ENOTDIR')) {
      process.stderr.write(
        `autodidact: error: ${e.path ?? ''}: ${e.code === 'ENOENT' ? 'no such file or folder' : e.message}\n`,
      );
      return 1;
    }
    process.stderr.write(`autodidact: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}
