/**
 * `--smoke`, understood by every bench: a tiny run (a few steps on a small subset) that checks the
 * bench still works end to end. CI runs every documented bench command with it appended
 * (tools/docs/commands.slow.test.ts), so a broken bench is caught. Its numbers mean nothing, so
 * the bench's pass/fail checks on results are off; it still fails when anything throws.
 */
export const SMOKE = process.argv.includes('--smoke');

/**
 * A `--name value` reader for a bench's own flags: the command line's value, else `def`; under
 * `--smoke` the bench's tiny value for that flag wins over both.
 */
export function benchFlags(
  smoke: Readonly<Record<string, string>>,
  args: readonly string[] = process.argv.slice(2),
): (name: string, def: string) => string {
  return (name, def) => {
    if (SMOKE && Object.hasOwn(smoke, name)) return smoke[name]!;
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
  };
}
