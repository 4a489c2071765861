import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CI_RUN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.ci', 'run');

/**
 * Runs `.ci/run` with a PATH holding only `dirname`, `id`, the given `node`, and stand-ins for
 * apt-get/npm/sudo that print REACHED and fail: the checks must stop the script before them.
 */
function ciRun(node: string | undefined, shared: string) {
  const bin = mkdtempSync(join(tmpdir(), 'rxv-ci-bin-'));
  for (const tool of ['dirname', 'id']) symlinkSync(join('/usr/bin', tool), join(bin, tool));
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  for (const tool of ['apt-get', 'npm', 'sudo']) script(tool, `echo REACHED ${tool}; exit 99`);
  if (node) script('node', `echo ${node}`);
  return spawnSync('/bin/bash', [CI_RUN], {
    encoding: 'utf8',
    env: { PATH: bin, RXVISION_SHARED: shared },
  });
}

describe('.ci/run preflight checks', () => {
  const shared = mkdtempSync(join(tmpdir(), 'rxv-ci-shared-'));
  mkdirSync(join(shared, 'models'));

  it('refuses a machine without node, saying how to install it', () => {
    const run = ciRun(undefined, shared);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/node is not on PATH; install Node.js 20.12 or newer.*NodeSource/);
    expect(run.stdout).not.toContain('REACHED');
  });

  it('refuses node older than 20.12', () => {
    const run = ciRun('20.11.1', shared);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('node 20.11.1 is too old (rxvision needs >= 20.12)');
    expect(run.stdout).not.toContain('REACHED');
  });

  it('looks for the shared assets where RXVISION_SHARED points', () => {
    const missing = join(shared, 'elsewhere');
    const run = ciRun('20.12.0', missing);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${missing}/models not found`);
    expect(run.stdout).not.toContain('REACHED');
    const found = ciRun('22.1.0', shared);
    expect(found.stdout).toContain('REACHED apt-get');
  });
});
