import { ConfigError } from '../config/issues.js';
import { agentVersion } from '../ops/agent-version.js';
import { redactText } from '../ops/redact.js';
import { type CliIo, processIo, UsageError } from './io.js';
import { commandUsage, USAGE } from './usage.js';
import { validateCommand } from './validate-command.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => validateCommand,
  detect: async () => (await import('./detect-command.js')).detectCommand,
  track: async () => (await import('./mot-commands.js')).trackCommand,
  'mot-eval': async () => (await import('./mot-commands.js')).motEvalCommand,
  demo: async () => (await import('./demo-command.js')).demoCommand,
  models: async () => (await import('./models-command.js')).modelsCommand,
  run: async () => (await import('./run-command.js')).runCommand,
  fleet: async () => (await import('./fleet-command.js')).fleetCommand,
};

/** Runs one `edge-agent` invocation and resolves to its exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`edge-agent ${agentVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`edge-agent: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(commandUsage(name));
    return 0;
  }
  try {
    return await (await load())(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`edge-agent ${name}: ${(err as Error).message}\n\n${commandUsage(name)}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`edge-agent ${name}: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`edge-agent ${name}: ${redactText((err as Error).message ?? String(err))}\n`);
    return 1;
  }
}
