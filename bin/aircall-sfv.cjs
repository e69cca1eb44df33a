#!/usr/bin/env node
'use strict';
// Entry point of the `aircall-sfv` CLI.
//
// The Salesforce toolchain (jsforce 3, @salesforce/core 9) and node:sqlite need Node >= 22.12.
// The project installs Node 22 as an npm dependency, so when this file is started by an older
// system Node (e.g. `./node_modules/.bin/aircall-sfv` from a shell), it re-executes itself with
// the project's Node instead of failing.
const path = require('node:path');
const { spawn } = require('node:child_process');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const bundled = path.join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  // The real CLI runs in a child. This process stays as a thin parent that forwards every stop
  // signal and ends with the child's status, so a process manager that signals the process it
  // started (this one) stops the connector too (docs/OPERATIONS.md, "Stopping").
  const child = spawn(bundled, [__filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, AIRCALL_SFV_WRAPPER_PID: String(process.pid) },
  });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']) process.on(signal, forward);
  child.on('error', () => {
    console.error(
      `aircall-sfv needs Node.js 22.12 or newer (found ${process.versions.node}). ` +
        'Run `npm install` in the project to get it, or install Node 22.',
    );
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // Killed by a signal: report it the shell's way (128 + signal number).
    if (signal) process.exit(128 + (require('node:os').constants.signals[signal] ?? 0));
    process.exit(code ?? 1);
  });
  return;
}

// node:sqlite prints an ExperimentalWarning on first use; it is noise for operators.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...args) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof text === 'string' && text.includes('SQLite')) return;
  return emitWarning.call(process, warning, ...args);
};

require('tsx/cjs');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
