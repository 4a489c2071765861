import { parseArgs } from 'node:util';
import { ConfigError } from '../config/issues.js';
import { loadConfig } from '../config/load.js';
import { assertRunnable } from '../config/runnable.js';
import { VALIDATE_COMMAND } from './command-options.js';
import { type CliIo, UsageError } from './io.js';

/** `edge-agent validate --config <file>`: 0 and a summary when valid and runnable, 1 and every issue when not. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: VALIDATE_COMMAND.options, strict: true });
  if (!values.config) throw new UsageError('validate needs --config <file>');
  try {
    const config = loadConfig(values.config, io.env);
    assertRunnable(config, values.config);
    const cameras = Object.values(config.cameras);
    io.stdout.write(
      `${values.config}: valid — ${cameras.length} camera${cameras.length === 1 ? '' : 's'} (${cameras.map((c) => c.id).join(', ') || 'none'}), ` +
        `${Object.keys(config.detectors).length} detector(s), MQTT ${config.mqtt ? 'configured' : 'off'}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
