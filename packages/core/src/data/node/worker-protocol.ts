import { AutodidactError, ConfigError, DataFormatError } from '../../errors.js';
import { dataErrorOf, type SkipPolicy, type SkipRecord } from '../read-samples.js';
import type { ReaderSpec, SampleArray, SampleLayout } from '../sample-reader.js';

/** What a data worker is started with (its `workerData`). */
export interface WorkerInit {
  readonly spec: ReaderSpec<unknown>;
  readonly policy: SkipPolicy;
  /** `file:` URL of tsx's ESM API, when the worker must load TypeScript. */
  readonly tsx?: string;
  /** `file:` URL of the worker's own module (for the TypeScript bootstrap). */
  readonly entry?: string;
}

/** Messages to a data worker. */
export type ToWorker =
  | { readonly type: 'read'; readonly id: number; readonly indices: Int32Array; readonly seeds: Uint32Array | null }
  | { readonly type: 'close' };

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly file?: string;
}

/** Messages from a data worker. */
export type FromWorker =
  | { readonly type: 'ready'; readonly size: number; readonly layout: SampleLayout }
  | { readonly type: 'init-failed'; readonly error: WireError }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly data: SampleArray;
      readonly used: Int32Array;
      readonly skips: SkipRecord[];
    }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError }
  | { readonly type: 'closed' };

export function toWire(err: unknown): WireError {
  if (err instanceof AutodidactError) {
    return {
      name: err.name,
      message: err.message,
      ...(err instanceof DataFormatError && err.file ? { file: err.file } : {}),
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.stack ?? e.message };
}

/** The typed error back on the training thread: DataFormatError and ConfigError keep their kind. */
export function fromWire(w: WireError): Error {
  if (w.name === 'DataFormatError') return dataErrorOf({ index: -1, message: w.message, file: w.file });
  if (w.name === 'ConfigError') return new ConfigError(w.message);
  return new Error(`data worker: ${w.message}`);
}
