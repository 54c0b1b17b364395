/**
 * The `lookout` program: commander (https://github.com/tj/commander.js)
 * commands built from the table in ./registry.ts, run against the given
 * streams and environment, with errors mapped to messages and exit codes
 * (0 ok, 1 runtime failure, 2 usage or configuration error). The bin
 * (../cli.ts) passes the process's own; tests pass their own.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DetectorStateError } from '../analysis/detector/errors.js';
import { ConfigError } from '../config/errors.js';
import { FileSourceError } from '../sources/file/errors.js';
import { ListenError } from '../topology/errors.js';
import { flagOverrides, toOption } from './flags.js';
import { COMMANDS, UsageError, type CommandIo, type CommandSpec } from './registry.js';

export const EXIT_USAGE = 2;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function buildProgram(io: CommandIo, onExit: (code: number) => void): Command {
  const program = new Command('lookout')
    .description('An AI second opinion for Vector and Fluent Bit log pipelines.')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText('after', '\nRun `lookout <command> --help` for the options of one command.\nExit codes: 0 success, 1 runtime failure, 2 usage or configuration error.');
  program.helpCommand(false);
  const groups = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const words = spec.name.split(' ');
    let parent = program;
    for (const [i, word] of words.slice(0, -1).entries()) {
      const key = words.slice(0, i + 1).join(' ');
      let group = groups.get(key);
      if (!group) {
        group = parent.command(word).description(`${key} commands: lookout ${key} <command> --help`).helpCommand(false);
        groups.set(key, group);
      }
      parent = group;
    }
    addCommand(parent, words[words.length - 1], spec, io, onExit);
  }
  return program;
}

function addCommand(parent: Command, word: string, spec: CommandSpec, io: CommandIo, onExit: (code: number) => void): void {
  const cmd = parent.command(word).summary(spec.summary).description(spec.details ? `${spec.summary}\n\n${spec.details}` : spec.summary);
  if (spec.args) cmd.argument(spec.args);
  for (const flag of spec.flags) cmd.addOption(toOption(flag));
  cmd.showHelpAfterError(`(run \`lookout ${spec.name} --help\` for its options)`);
  cmd.action(async (...params: unknown[]) => {
    // commander passes the positional arguments, then the options object, then the command.
    const command = params[params.length - 1] as Command;
    const flags = command.opts();
    const load = { file: flags.config as string | undefined, env: io.env, flags: flagOverrides(spec.flags, flags) };
    onExit(await spec.run({ args: command.args, flags, load, io }));
  });
}

/** Runs one command line to its exit code; only a bug (not bad input) makes it reject. */
export async function runLookout(argv: string[], io: CommandIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // commander has already printed the help, the version or its error message.
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : EXIT_USAGE;
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof FileSourceError) {
      io.stderr.write(`lookout: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // A busy port or unusable state directory is the operator's to fix, not a bug: one line, no stack trace.
    if (err instanceof ListenError || err instanceof DetectorStateError) {
      io.stderr.write(`lookout: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  return code;
}
