/**
 * What the FASTA, FASTQ and GenBank push parsers share: the file their errors name, the number
 * of the line being read, and the IUPAC policy and generator their sequence lines go through.
 */
import { ConfigError, Rng } from '@autodidact/core';
import type { SequenceReadOptions } from './fasta.js';
import { IUPAC_POLICIES, type IupacPolicy, normaliseSequenceLine } from './iupac.js';

/** Checks reader options and returns the policy and the generator `replace-random` draws from. */
export function resolveReadOptions(options: SequenceReadOptions): { policy: IupacPolicy; rng: Rng } {
  const policy = options.iupac ?? 'as-N';
  if (!IUPAC_POLICIES.includes(policy)) {
    throw new ConfigError(`unknown IUPAC policy '${policy}'; known: ${IUPAC_POLICIES.join(', ')}`, { field: 'iupac' });
  }
  return { policy, rng: new Rng(options.seed ?? 0) };
}

/** Line counting and base normalisation of a line-at-a-time sequence parser; subclasses write `push`. */
export abstract class SequenceLineParser {
  /** Number (1-based) of the line last read. */
  protected lineNo = 0;
  private readonly policy: IupacPolicy;
  private readonly rng: Rng;

  /** @throws ConfigError for an unknown IUPAC policy. */
  constructor(
    protected readonly file: string,
    options: SequenceReadOptions,
  ) {
    ({ policy: this.policy, rng: this.rng } = resolveReadOptions(options));
  }

  /** Counts the next line and returns it without a trailing `\r`. */
  protected nextLine(rawLine: string): string {
    this.lineNo++;
    return rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  }

  /** Upper-case bases of a sequence line under the IUPAC policy; errors name the file and `line`. */
  protected bases(text: string, line = this.lineNo): string {
    return normaliseSequenceLine(text, this.policy, this.file, line, this.rng);
  }
}
