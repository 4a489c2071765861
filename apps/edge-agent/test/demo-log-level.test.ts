import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

describe('edge-agent demo --log-level (the built CLI, a real broker and model)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('lets the flag override the config file’s level from the first log line on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-demo-level-'));
    const clip = join(dir, 'clip.mp4');
    // Two seconds played once: the agent ends by itself when the clip does.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=2:size=320x240:rate=5',
      clip,
    ]);
    const config = join(dir, 'agent.yml');
    writeFileSync(
      config,
      [
        'logger: { level: info }',
        'http: { enabled: false }',
        `mqtt: { url: "${broker.url}" }`,
        `detectors: { default: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')} } }`,
        `cameras: { clip: { url: ${clip}, live: false } }`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, [CLI, 'demo', '--config', config, '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toContain('rxvision demo — what to open');
    expect(code).toBe(0);
    expect(stderr.split('\n').filter((l) => l.includes('"level":"info"'))).toEqual([]);
  }, 90_000);
});
