import { ConfigError } from '../errors.js';

/** Anything listed in a registry: a name users type and a line of description. */
export interface Registered {
  readonly name: string;
  readonly description: string;
}

/**
 * Name -> entry. One per package and kind (methods, encoders), so the CLI, the docs and
 * code list the same names, and an unknown name fails with the list of known ones.
 */
export class Registry<T extends Registered> {
  private readonly entries = new Map<string, T>();
  constructor(readonly kind: string) {}

  register(entry: T): T {
    if (this.entries.has(entry.name)) throw new ConfigError(`${this.kind} '${entry.name}' is already registered`);
    this.entries.set(entry.name, entry);
    return entry;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): T {
    const e = this.entries.get(name);
    if (!e) {
      throw new ConfigError(`unknown ${this.kind} '${name}'; known: ${this.names().join(', ') || '(none)'}`);
    }
    return e;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  list(): T[] {
    return [...this.entries.values()];
  }
}
