#!/usr/bin/env node
// The `autodidact-multimodal` command. The implementation is compiled TypeScript in dist/cli; this
// shim is committed so that npm links the command at install, before anything is built.
import { main } from '../dist/cli/main.js';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
