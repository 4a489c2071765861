import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../src/cli/command-options.js';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { commandUsage } from '../src/cli/usage.js';

/** Runs `edge-agent <argv>` in-process and returns its exit code and output. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const io: CliIo = { stdout, stderr, env: {} };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}

describe('edge-agent <command> --help is generated from the option tables the parser uses', () => {
  for (const spec of COMMAND_SPECS) {
    it(`${spec.name}: every option the parser accepts is in its --help, and one not in it is refused`, async () => {
      const help = await cli(spec.name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toBe(commandUsage(spec.name));
      for (const [name, option] of Object.entries(spec.options)) {
        expect(help.stdout).toContain(`--${name}`);
        // One flag alone (no positionals, no other required flag) never starts the command: it is
        // parsed, then refused for what is missing, or fails on the unreadable value.
        const args = option.type === 'string' ? [`--${name}`, '/nonexistent/x'] : [`--${name}`];
        const run = await cli(
          spec.name,
          ...args,
          ...(spec.name === 'run' || spec.name === 'demo' ? ['extra'] : []),
        );
        expect(run.stderr).not.toContain('Unknown option');
        expect(run.code).not.toBe(0);
      }
      const unknown = await cli(spec.name, '--no-such-flag');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("Unknown option '--no-such-flag'");
      expect(unknown.stderr).toContain(`edge-agent ${spec.name}`);
    });
  }

  it('lists the flags the usage once left out: mot-eval --iou, models prepare --cache-dir/--registry', async () => {
    expect((await cli('mot-eval', '--help')).stdout).toContain('--iou 0.5');
    const models = await cli('models', '--help');
    expect(models.stdout).toContain('edge-agent models prepare [--cache-dir <dir>] [--registry <url>]');
  });

  it('edge-agent --help has every command synopsis; a bare edge-agent exits 2 with the same text', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const spec of COMMAND_SPECS) expect(help.stdout).toContain(`  edge-agent ${spec.name}`);
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
  });
});
