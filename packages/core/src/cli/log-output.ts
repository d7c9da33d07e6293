/** How the CLI's commands write their messages to stderr. */
export type LogFormat = 'text' | 'json';

/**
 * The message writer of a CLI command: `autodidact: <message>` lines in `text` format, one JSON
 * object per line (`{"event":"info","message":...}`, plus any extra fields) in `json` format,
 * nothing when quiet. Results stay on stdout either way; this is only for stderr.
 */
export function cliLogger(options: {
  quiet: boolean;
  format: LogFormat;
  stream?: { write(text: string): unknown };
}): (message: string, fields?: Record<string, unknown>) => void {
  const stream = options.stream ?? process.stderr;
  return (message, fields) => {
    if (options.quiet) return;
    if (options.format === 'json') stream.write(`${JSON.stringify({ event: 'info', message, ...fields })}\n`);
    else stream.write(`autodidact: ${message}\n`);
  };
}
