import type { ProgressStream } from './trainer/progress.js';

/**
 * Where progress and notices go by default: `process.stderr` under Node; elsewhere (a browser,
 * a web worker) `console.info`, one call per completed line, since there is no stderr.
 */
export function stderrStream(): ProgressStream {
  const proc = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  if (proc?.stderr) return proc.stderr;
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.info(line);
    },
  };
}
