import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { sharedPath } from '../../../testing/shared.js';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigDocument, parseConfigText } from '../src/config/load.js';
import { validateConfig } from '../src/config/validate.js';
import { withFleetCameras } from '../src/fleet/fleet-config.js';
import { createLogger } from '../src/ops/logger.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = promisify(execFile);
const MODEL = sharedPath('models', 'yolov7-tiny-640-untrained.onnx');
const FLEET = 'fleet:\n  nats: { servers: nats://127.0.0.1:4222 }\n  box: box-1\n';

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, 'x.yml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('the fleet section', () => {
  it('fills the defaults in the units the agent uses', () => {
    const config = parseConfigText(`detectors: { d: { model: ${MODEL} } }\n${FLEET}`, 'x.yml', {});
    expect(config.fleet).toEqual({
      nats: { servers: ['nats://127.0.0.1:4222'] },
      box: 'box-1',
      site: 'default',
      bucket: 'rxvision',
      heartbeatIntervalMs: 2000,
      heartbeatTtlMs: 10_000,
      leaseTtlMs: 10_000,
      rebalanceThreshold: 0.25,
    });
    expect(Object.keys(config.cameras)).toEqual([]);
  });

  it('refuses timings that would let a live box look dead, and box ids that are not topic levels', () => {
    expect(issuesOf(`${FLEET}  heartbeat_interval: 2\n  heartbeat_ttl: 3\n`)).toEqual([
      'fleet.heartbeat_ttl: heartbeat_ttl (3 s) must exceed two heartbeat intervals (2 s each)',
    ]);
    expect(issuesOf(`${FLEET}  lease_ttl: 4\n`)).toEqual([
      'fleet.lease_ttl: lease_ttl (4 s) must exceed two heartbeat intervals (2 s each), which renew it',
    ]);
    expect(issuesOf('fleet:\n  nats: { servers: nats://x:4222 }\n  box: "a/b"\n')).toEqual([
      'fleet.box: box id "a/b" may use letters, digits, `_` and `-` only (it becomes an MQTT topic level)',
    ]);
    expect(issuesOf('fleet:\n  box: a\n')).toEqual(['fleet.nats: is required']);
  });
});

describe('withFleetCameras', () => {
  const stderr = new PassThrough();
  let logged = '';
  stderr.on('data', (c: Buffer) => {
    logged += c.toString();
  });
  const log = createLogger({ level: 'info', stream: stderr });
  const doc = parseConfigDocument(
    `detectors: { d: { model: ${MODEL} } }\n${FLEET}cameras:\n  usb: { url: "lavfi:testsrc2" }\n`,
    'agent.yml',
    {},
  );

  it("runs the box's own cameras beside the fleet's, the local one winning an id clash", () => {
    const config = withFleetCameras(
      doc,
      { a: { camera: { url: 'lavfi:testsrc2', fps: 2 } }, usb: { camera: { url: 'lavfi:smptebars' } } },
      log,
      (d) => validateConfig(d, 'agent.yml'),
    );
    expect(Object.keys(config.cameras).sort()).toEqual(['a', 'usb']);
    expect(config.cameras.usb?.url).toBe('lavfi:testsrc2');
    expect(config.cameras.a?.fps).toBe(2);
    expect(logged).toContain('camera id is also a local camera; the local one runs');
  });

  it('leaves out, with an error, a fleet camera this box cannot run, and runs the others', () => {
    const config = withFleetCameras(
      doc,
      {
        good: { camera: { url: 'lavfi:testsrc2' } },
        bad: { camera: { url: 'lavfi:testsrc2', detector: 'gpu' } },
      },
      log,
      (d) => validateConfig(d, 'agent.yml'),
    );
    expect(Object.keys(config.cameras).sort()).toEqual(['good', 'usb']);
    expect(logged).toMatch(
      /this box cannot run an assigned camera.*"camera":"bad".*no detector named \\"gpu\\"/,
    );
  });
});

describe('edge-agent fleet (CLI errors, before NATS is touched)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxv-fleet-cli-'));
  const cli = (args: string[]) =>
    run(process.execPath, [CLI, ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('names the cameras file and the key of a bad camera, and writes nothing', async () => {
    const agent = join(dir, 'agent.yml');
    writeFileSync(agent, `detectors: { d: { model: ${MODEL} } }\n${FLEET}`);
    const cameras = join(dir, 'cameras.yml');
    writeFileSync(cameras, 'cameras:\n  door: { url: "lavfi:testsrc2", fps: -1, site: hq }\n  yard: 7\n');
    const result = await cli(['fleet', 'apply', '--config', agent, cameras]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid config in ${cameras}`);
    expect(result.stderr).toContain('cameras.yard: is not a mapping');
  });

  it('says when NATS cannot be reached, and how to fix it', async () => {
    const agent = join(dir, 'agent-closed.yml');
    writeFileSync(
      agent,
      `detectors: { d: { model: ${MODEL} } }\nfleet:\n  nats: { servers: nats://127.0.0.1:${await freePort()} }\n`,
    );
    const result = await cli(['fleet', 'status', '--config', agent]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cannot reach NATS JetStream at nats:\/\/127\.0\.0\.1:\d+: .*start nats-server with -js or fix fleet\.nats/,
    );
  });

  it('refuses a config without a fleet section, and an unknown action', async () => {
    const plain = join(dir, 'plain.yml');
    writeFileSync(plain, `detectors: { d: { model: ${MODEL} } }\n`);
    const noFleet = await cli(['fleet', 'status', '--config', plain]);
    expect(noFleet.code).toBe(1);
    expect(noFleet.stderr).toContain('fleet: no `fleet:` section');
    const agent = join(dir, 'agent.yml');
    const unknown = await cli(['fleet', 'move', '--config', agent]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('fleet needs an action, apply or status (got "move")');
  });
});
