import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};

describe('the edge-agent bin', () => {
  const target = manifest.bin['edge-agent'];

  it('points at a committed, executable file outside dist/, so npm ci links it before any build', () => {
    expect(target).toBeDefined();
    expect(target).not.toMatch(/(^|\/)dist\//);
    const path = join(APP_DIR, target!);
    accessSync(path, constants.X_OK);
    const tracked = spawnSync('git', ['ls-files', '--error-unmatch', path], {
      cwd: APP_DIR,
      encoding: 'utf8',
    });
    expect(tracked.status).toBe(0);
  });

  it('runs the built CLI: --help exits 0 with the usage', () => {
    const run = spawnSync(process.execPath, [join(APP_DIR, target!), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('edge-agent run');
  });

  it('--version prints the package version and <command> --help prints that command, both exiting 0', () => {
    const version = spawnSync(process.execPath, [join(APP_DIR, target!), '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(`edge-agent ${(manifest as unknown as { version: string }).version}`);
    const help = spawnSync(process.execPath, [join(APP_DIR, target!), 'run', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('edge-agent run [--config <file>]');
    expect(help.stdout).not.toContain('edge-agent detect');
  });
});
