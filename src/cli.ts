#!/usr/bin/env node
/**
 * lookout: the bin. Runs the program (commands/program.ts) on this process's
 * arguments, streams and environment and sets the exit code: 0 ok, 1 runtime
 * failure, 2 usage or configuration error.
 */
import { runLookout } from './commands/program.js';

// `lookout analyze … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

runLookout(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lookout: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
