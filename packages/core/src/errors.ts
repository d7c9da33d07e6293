/**
 * Typed errors. Every error autodidact raises on purpose is an `AutodidactError`
 * with a stable `code`, so callers (and the CLI) can tell bad input from bugs.
 * Messages name the file, the field and what was expected.
 */
export class AutodidactError extends Error {
  /** Stable machine-readable code, e.g. `DATA_FORMAT`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Why a data file is bad, in the words of the skip summary (`skipped 3 of 1,204 files (2 empty,
 * 1 truncated)`): no bytes, cut short, not the expected format, not readable at all (permissions,
 * a FIFO, a broken or looping symbolic link), or damaged some other way.
 */
export type BadFileReason = 'empty' | 'truncated' | 'wrong format' | 'unreadable' | 'corrupt';

/** A data file is unreadable, truncated or not in the expected format. */
export class DataFormatError extends AutodidactError {
  /** The file at fault, when there is one. */
  readonly file?: string;
  /** The kind of fault, when the reader knows it (skip summaries count by it). */
  readonly reason?: BadFileReason;
  constructor(message: string, options?: { file?: string; cause?: unknown; reason?: BadFileReason }) {
    super('DATA_FORMAT', options?.file ? `${options.file}: ${message}` : message, options);
    this.file = options?.file;
    this.reason = options?.reason;
  }

  /** The message without the leading `<file>: `. */
  get detail(): string {
    return this.file && this.message.startsWith(`${this.file}: `)
      ? this.message.slice(this.file.length + 2)
      : this.message;
  }
}

/** An option or configuration value is invalid. */
export class ConfigError extends AutodidactError {
  readonly field?: string;
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super('CONFIG', options?.field ? `${options.field}: ${message}` : message, options);
    this.field = options?.field;
  }
}

/** Tensor shapes do not fit together. */
export class ShapeError extends AutodidactError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SHAPE', message, options);
  }
}

/** A loss or gradient became NaN or infinite. */
export class NumericalError extends AutodidactError {
  readonly step?: number;
  readonly tensorName?: string;
  constructor(message: string, options?: { step?: number; tensorName?: string; cause?: unknown }) {
    super('NUMERICAL', message, options);
    this.step = options?.step;
    this.tensorName = options?.tensorName;
  }
}

/** A checkpoint is missing, incomplete or does not match the model. */
export class CheckpointError extends AutodidactError {
  readonly path?: string;
  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super('CHECKPOINT', options?.path ? `${options.path}: ${message}` : message, options);
    this.path = options?.path;
  }
}

/** Throws a ShapeError unless `cond` holds. */
export function assertShape(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new ShapeError(message());
}
