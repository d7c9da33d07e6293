/**
 * The one place that decides which tfjs backend runs.
 *
 * Order when nothing is forced: `tensorflow` (@tensorflow/tfjs-node, when the user
 * installed it and it loads), then `native` (@autodidact/backend-native: tfjs's CPU
 * kernels with the hot ones on OpenBLAS, when its addon built), then tfjs's pure-JS
 * `cpu`. `wasm` runs only when asked for (it lacks Conv2DBackpropFilter and
 * UnsortedSegmentSum, so it cannot train convnets or embeddings).
 * Forcing: the `prefer` option, else `env.backend` (AUTODIDACT_BACKEND). A forced
 * backend that cannot load is a ConfigError, never a silent fallback.
 */
import * as tf from '@tensorflow/tfjs';
import { env } from '../env.js';
import { ConfigError } from '../errors.js';
import { stderrStream } from '../stderr-stream.js';

/** Names of the backends autodidact knows how to load. */
export type BackendName = 'tensorflow' | 'native' | 'wasm' | 'cpu';

/** The backends in automatic order of preference (`wasm` is never chosen automatically). */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'native', 'wasm', 'cpu'];

/** Which backend runs, as reported by {@link initBackend}. */
export interface BackendInfo {
  /** tfjs backend name (`tensorflow`, `native`, `wasm` or `cpu`). */
  name: string;
  /** One line for people: what the backend is and why it was picked. */
  description: string;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Force a backend (default: `env.backend`, else the fastest that loads). */
  prefer?: BackendName;
  /** Do not print the one-line backend notice to stderr (default: `env.quiet`). */
  quiet?: boolean;
}

/** What a loader found: a description, or why the backend is unavailable. */
type LoadResult = { ok: true; description: string } | { ok: false; reason: string };

// Specifiers kept in variables so TypeScript and bundlers do not require the packages.
const TFJS_NODE = '@tensorflow/tfjs-node';
const BACKEND_NATIVE = '@autodidact/backend-native';
const BACKEND_WASM = '@tensorflow/tfjs-backend-wasm';

/** Shape of @autodidact/backend-native's module as far as core needs it. */
interface NativeBackendModule {
  register(): boolean;
  describe?(): string;
  unavailableReason?(): string | undefined;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** Imports the package `name`; when it does not load, why (with `fix` after it) as a failed load. */
async function importPackage<M>(name: string, fix = ''): Promise<{ module: M } | { ok: false; reason: string }> {
  try {
    return { module: (await import(name)) as M };
  } catch (err) {
    return { ok: false, reason: `${name} is not installed or does not load (${errorText(err)})${fix}` };
  }
}

async function loadTensorflow(): Promise<LoadResult> {
  const imported = await importPackage(TFJS_NODE, `; npm install ${TFJS_NODE}`);
  if (!('module' in imported)) return imported;
  if (!tf.findBackend('tensorflow')) {
    return {
      ok: false,
      reason: `${TFJS_NODE} loaded but registered no 'tensorflow' backend for this copy of @tensorflow/tfjs (version mismatch?)`,
    };
  }
  return { ok: true, description: 'libtensorflow via @tensorflow/tfjs-node' };
}

async function loadNative(): Promise<LoadResult> {
  const imported = await importPackage<NativeBackendModule>(BACKEND_NATIVE);
  if (!('module' in imported)) return imported;
  const mod = imported.module;
  if (!mod.register()) {
    const why = mod.unavailableReason?.() ?? 'its addon did not build';
    return { ok: false, reason: `${BACKEND_NATIVE} is unavailable: ${why}` };
  }
  return { ok: true, description: mod.describe?.() ?? 'tfjs cpu kernels with OpenBLAS matmul/conv (native addon)' };
}

async function loadWasm(): Promise<LoadResult> {
  const imported = await importPackage(BACKEND_WASM, `; npm install ${BACKEND_WASM}@4.22.0`);
  if (!('module' in imported)) return imported;
  return {
    ok: true,
    description: 'tfjs WebAssembly kernels (single-threaded; no Conv2DBackpropFilter/UnsortedSegmentSum)',
  };
}

/** What to run (Debian/Ubuntu) for the fast native backend; the same words as backend-native's install report. */
export const FAST_BACKEND_FIX = 'sudo apt-get install libopenblas-dev && npm rebuild @autodidact/backend-native';

/** Backends on which a convnet step takes minutes rather than a second. */
export const SLOW_BACKENDS: readonly string[] = ['cpu', 'wasm'];

async function loadCpu(): Promise<LoadResult> {
  return {
    ok: true,
    description: `tfjs pure-JS cpu kernels, slow (a SimCLR step takes minutes); for the fast native backend run: ${FAST_BACKEND_FIX}`,
  };
}

const LOADERS: Record<BackendName, () => Promise<LoadResult>> = {
  tensorflow: loadTensorflow,
  native: loadNative,
  wasm: loadWasm,
  cpu: loadCpu,
};

function checkName(name: string, field: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new ConfigError(`unknown backend '${name}', expected one of ${BACKEND_NAMES.join(', ')}`, { field });
}

async function activate(name: BackendName, description: string): Promise<BackendInfo> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new ConfigError(`backend '${name}' is registered but failed to initialise`, { field: 'backend' });
  await tf.ready();
  // tfjs's cpu backend (which `native` extends) prints a one-time banner recommending
  // tfjs-node on first use; our own notice already names the backend and how to get a faster one.
  const backend = tf.backend() as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
  return { name, description };
}

// Idempotence: one selection per requested name (undefined = automatic).
const selections = new Map<BackendName | 'auto', Promise<BackendInfo>>();

async function select(forced: BackendName | undefined, field: string): Promise<BackendInfo> {
  if (forced) {
    const found = await LOADERS[forced]();
    if (!found.ok) throw new ConfigError(`backend '${forced}' was requested but ${found.reason}`, { field });
    return activate(forced, found.description);
  }
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'native', 'cpu'] as const) {
    const found = await LOADERS[name]();
    if (found.ok) {
      const why = skipped.length > 0 ? ` (skipped: ${skipped.join('; ')})` : '';
      return activate(name, `${found.description}${name === 'cpu' ? why : ''}`);
    }
    skipped.push(found.reason);
  }
  throw new ConfigError('no tensor backend could be loaded', { field });
}

/**
 * Chooses, registers and activates the tensor backend, and prints one line naming it
 * to stderr (unless quiet). Calling it again with the same request returns the same
 * answer without reloading or printing again; a different request switches backend.
 *
 * @throws ConfigError when a forced backend (option or AUTODIDACT_BACKEND) cannot load
 *   or the name is unknown.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const field = options.prefer !== undefined ? 'backend' : 'AUTODIDACT_BACKEND';
  const requested = options.prefer ?? env.backend;
  const forced = requested === undefined ? undefined : checkName(requested, field);
  const key = forced ?? 'auto';
  let pending = selections.get(key);
  if (pending) {
    const info = await pending;
    if (tf.getBackend() !== info.name) await tf.setBackend(info.name);
    return info;
  }
  pending = select(forced, field);
  selections.set(key, pending);
  try {
    const info = await pending;
    if (!(options.quiet ?? env.quiet)) stderrStream().write(`autodidact: backend ${info.name}: ${info.description}\n`);
    return info;
  } catch (err) {
    selections.delete(key);
    throw err;
  }
}
