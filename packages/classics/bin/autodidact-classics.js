#!/usr/bin/env node
// The `autodidact-classics` command. The implementation is compiled TypeScript in dist/cli; this
// shim is committed so that npm links the command at install, before anything is built.
import { runExperimentMain } from '@autodidact/core';
import { main } from '../dist/cli/main.js';

process.exitCode = await runExperimentMain(main, process.argv.slice(2));
