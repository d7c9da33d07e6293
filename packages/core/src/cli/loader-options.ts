/**
 * A modality's declared loader options (see `LoaderOptionSpec`) as CLI flags: the flags of
 * `pretrain`, `embed`, `probe` and `finetune` are built from the declaration, values are checked
 * against it, and a trained encoder's saved values are reused unless a flag overrides them.
 */
import { Option } from 'commander';
import { ConfigError } from '../errors.js';
import type { EncoderConfig } from '../methods/encoder.js';
import type { LoaderOptionSpec, LoadOptions } from './modality.js';

/** `imageSize` -> `--image-size`. */
export function loaderFlag(spec: LoaderOptionSpec): string {
  return `--${spec.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function defaultHelp(spec: LoaderOptionSpec): string {
  if (spec.default !== undefined) return `default: ${spec.default}`;
  return `default: ${spec.defaultText ?? 'chosen from the data'}`;
}

function placeholder(spec: LoaderOptionSpec): string {
  if (spec.placeholder) return spec.placeholder;
  if (spec.choices) return spec.choices.join('|');
  return spec.type === 'string' ? 'value' : spec.type === 'integer' ? 'n' : 'x';
}

/** The commander option of a declared loader option (no commander default: unset means "not given"). */
export function loaderCommanderOption(spec: LoaderOptionSpec): Option {
  const bounds =
    spec.min !== undefined || spec.max !== undefined
      ? ` [${spec.min ?? ''}..${spec.max ?? ''}${spec.words ? ` or ${spec.words.join(', ')}` : ''}]`
      : '';
  return new Option(
    `${loaderFlag(spec)} <${placeholder(spec)}>`,
    `${spec.description}${bounds} (${defaultHelp(spec)})`,
  );
}

/**
 * Checks one value against its declaration; CLI strings are converted to numbers for numeric
 * options. `source` names where the value came from in errors (the flag, or the checkpoint).
 */
export function checkLoaderValue(spec: LoaderOptionSpec, value: unknown, source = loaderFlag(spec)): number | string {
  const fail = (what: string): never => {
    throw new ConfigError(`expected ${what}, got '${String(value)}'`, { field: source });
  };
  if (typeof value === 'string' && spec.words?.includes(value)) return value;
  let v: number | string;
  if (spec.type === 'string') {
    if (typeof value !== 'string' || value === '') fail('a non-empty string');
    v = value as string;
  } else {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    const words = spec.words ? ` or ${spec.words.map((w) => `'${w}'`).join(', ')}` : '';
    if (!Number.isFinite(n)) fail(`${spec.type === 'integer' ? 'an integer' : 'a number'}${words}`);
    if (spec.type === 'integer' && !Number.isInteger(n)) fail(`an integer${words}`);
    if (spec.min !== undefined && n < spec.min) fail(`a value >= ${spec.min}${words}`);
    if (spec.max !== undefined && n > spec.max) fail(`a value <= ${spec.max}${words}`);
    v = n;
  }
  if (spec.choices && !spec.choices.includes(v)) fail(`one of ${spec.choices.join(', ')}`);
  return v;
}

/** Loader option values and where each came from. */
export interface ResolvedLoaderOptions {
  /** Values by option name (declared defaults included; options the data decides are absent). */
  values: Record<string, unknown>;
  /** Names whose value came from the saved encoder (not from a flag). */
  fromEncoder: string[];
}

/**
 * Loader option values for a run: a flag given on the command line wins, then the value saved
 * with the encoder (`saved`), then the declared default. Unknown saved keys are ignored (an
 * encoder from another version), and so are saved values that no longer pass the declaration.
 */
export function resolveLoaderOptions(
  specs: readonly LoaderOptionSpec[],
  flags: Readonly<Record<string, unknown>>,
  saved?: Readonly<Record<string, unknown>>,
): ResolvedLoaderOptions {
  const values: Record<string, unknown> = {};
  const fromEncoder: string[] = [];
  for (const spec of specs) {
    const given = Object.hasOwn(flags, spec.name) ? flags[spec.name] : undefined;
    if (given !== undefined) {
      values[spec.name] = checkLoaderValue(spec, given);
      continue;
    }
    const kept = saved && Object.hasOwn(saved, spec.name) ? saved[spec.name] : undefined;
    if (kept !== undefined) {
      try {
        values[spec.name] = checkLoaderValue(spec, kept, `${loaderFlag(spec)} (saved with the encoder)`);
        fromEncoder.push(spec.name);
        continue;
      } catch {
        // fall back to the default
      }
    }
    if (spec.default !== undefined) values[spec.name] = spec.default;
  }
  return { values, fromEncoder };
}

/** `--image-size 64 --channels 3` for the named options. */
export function formatLoaderFlags(
  specs: readonly LoaderOptionSpec[],
  values: Readonly<Record<string, unknown>>,
  names?: readonly string[],
): string {
  return specs
    .filter((s) => (names ? names.includes(s.name) : true) && values[s.name] !== undefined)
    .map((s) => `${loaderFlag(s)} ${String(values[s.name])}`)
    .join(' ');
}

/** The `--help` section listing each modality's loader flags (for commands whose modality is not known yet). */
export function loaderOptionsHelp(
  modalities: readonly { name: string; loaderOptions?: readonly LoaderOptionSpec[] }[],
  command: string,
): string {
  const lines = modalities
    .filter((m) => (m.loaderOptions ?? []).length > 0)
    .map(
      (m) => `  ${m.name.padEnd(9)} ${m.loaderOptions!.map((s) => `${loaderFlag(s)} <${placeholder(s)}>`).join(', ')}`,
    );
  if (lines.length === 0) return '';
  return `\nData options of each modality (${command} takes them once its modality is known; \`autodidact ${command} ${command === 'pretrain' || command === 'finetune' ? '<modality>' : '<checkpoint>'} --help\` describes them):\n${lines.join('\n')}\n`;
}

/**
 * `values` without the options a trained encoder's input decides (`LoaderOptionSpec.encoderDecides`):
 * the loader options of a pretraining run or saved with an encoder, as labelled loads for that
 * encoder take them.
 */
export function withoutEncoderDecided(
  specs: readonly LoaderOptionSpec[],
  values: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (!values) return undefined;
  const decided = new Set(specs.filter((s) => s.encoderDecides).map((s) => s.name));
  return Object.fromEntries(Object.entries(values).filter(([name]) => !decided.has(name)));
}

/**
 * Load options for data read with a trained encoder (`embed`, `probe`, `finetune`): the
 * modality's data flags over the values saved with the encoder, the encoder to fit, and the
 * command's strictness and log. Says once which saved values are reused.
 */
export function loadOptionsForEncoder(args: {
  specs: readonly LoaderOptionSpec[];
  flags: Readonly<Record<string, unknown>>;
  saved: Readonly<Record<string, unknown>> | undefined;
  encoder: EncoderConfig;
  strict?: boolean;
  say: (line: string) => void;
}): LoadOptions {
  const { values, fromEncoder } = resolveLoaderOptions(
    args.specs,
    args.flags,
    withoutEncoderDecided(args.specs, args.saved),
  );
  if (fromEncoder.length > 0) {
    args.say(`reading the data as the encoder was trained: ${formatLoaderFlags(args.specs, values, fromEncoder)}`);
  }
  return { loader: values, encoder: args.encoder, strict: args.strict, log: (line: string) => args.say(line) };
}
