/**
 * The CLI's entry point run in the test's own process, as a user would call it, with what it
 * writes to stdout and stderr captured instead of printed.
 */
import { vi } from 'vitest';
import { main } from '../cli/main.js';

/** A CLI run: its exit code and everything it wrote. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `autodidact <args>`; stdout and stderr are captured for the run and restored after it. */
export async function runCli(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}
