/**
 * A bench's bad command line ends it with one line naming the flag and the problem, not a stack
 * trace: flag parsers throw {@link UsageError}, and a bench calls {@link exitOnUsageError} first.
 */

/** A flag a bench cannot run with; its message names the flag and what it expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `value` of `flag` when it is one of `choices`; else a UsageError (`--split: expected validation or test, got x`). */
export function parseChoice<const C extends string>(flag: string, value: string, choices: readonly C[]): C {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: expected ${choices.join(' or ')}, got ${value}`);
  }
  return value as C;
}

/**
 * From here on, a {@link UsageError} that reaches the top of the process prints its message as one
 * line on stderr and exits with code 2; any other error is printed as before and exits with 1.
 */
export function exitOnUsageError(): void {
  process.on('uncaughtException', (e) => {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  });
}
