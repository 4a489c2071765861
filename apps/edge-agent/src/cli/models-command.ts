import { parseArgs } from 'node:util';
import { prepareDefaultModel } from '@rxvision/models';
import { MODELS_COMMAND } from './command-options.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** `edge-agent models prepare [--cache-dir <dir>] [--registry <url>]`: converts (or finds cached) the default model, prints its path. */
export async function modelsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: MODELS_COMMAND.options,
    strict: true,
    allowPositionals: true,
  });
  if (positionals[0] !== 'prepare' || positionals.length > 1)
    throw new UsageError('usage: edge-agent models prepare [--cache-dir <dir>] [--registry <url>]');
  const path = await prepareDefaultModel({
    ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
    ...(values.registry ? { registry: values.registry } : {}),
    log: (m) => io.stderr.write(`${m}\n`),
  });
  io.stdout.write(`${path}\n`);
  return 0;
}
