import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, childCommandLines, sleep, startAgent, waitFor } from './helpers/agent-process.js';

const CAMERA_PASSWORD = "cam pa@ss'w%rd";
const MQTT_PASSWORD = 'mqtt-s3cr3t-pw';
const dir = mkdtempSync(join(tmpdir(), 'rxv-secrets-'));

describe('no password reaches a log line, MQTT payload, HTTP response or FFmpeg command line (real camera, broker, agent)', () => {
  let camera: RtspCamera;
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    camera = await startRtspCamera({
      clip: sharedPath('videos', 'people-walking-indoor.mp4'),
      user: 'viewer',
      password: CAMERA_PASSWORD,
    });
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await camera.stop();
    await broker.stop();
  });

  it('shows neither password anywhere, with a camera outage and recovery on the way', async () => {
    const payloads: string[] = [];
    const subscriber = await mqtt.connectAsync(broker.url);
    subscriber.on('message', (topic, payload) => payloads.push(`${topic} ${payload.toString()}`));
    await subscriber.subscribeAsync('#');
    const config = join(dir, 'agent.yml');
    writeFileSync(
      config,
      [
        `mqtt: { url: "${broker.url}", user: rx, password: "\${MQTT_PASSWORD}", topic_prefix: sec }`,
        `detectors: { default: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')} } }`,
        'cameras:',
        '  gate:',
        `    url: "\${GATE_URL}?token=${MQTT_PASSWORD}x"`,
        '    fps: 2',
        '    stall_timeout: 2',
        '',
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', config, '--http', '127.0.0.1:0'], {
      MQTT_PASSWORD,
      GATE_URL: camera.url,
      FFMPEG_PATH: '/usr/bin/ffmpeg',
    });
    const http = await agent.httpUrl();
    await waitFor(
      'camera online',
      () => (/"msg":"camera online"/.test(agent?.stderr() ?? '') ? true : undefined),
      90_000,
    );
    const commandLines = childCommandLines(agent.child.pid ?? 0);
    expect(commandLines.join('\n')).toContain('ffmpeg');
    await camera.stop();
    await waitFor(
      'camera offline logged',
      () => (/"msg":"camera (offline|stalled)"/.test(agent?.stderr() ?? '') ? true : undefined),
      30_000,
    );
    await camera.start();
    await waitFor(
      'camera back online',
      () => ((agent?.stderr().match(/"msg":"camera online"/g) ?? []).length >= 2 ? true : undefined),
      60_000,
    );
    const responses = await Promise.all(
      ['/api/cameras', '/metrics', '/readyz', '/healthz'].map(async (path) =>
        (await fetch(`${http}${path}`)).text(),
      ),
    );
    commandLines.push(...childCommandLines(agent.child.pid ?? 0));
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await sleep(300);
    await subscriber.endAsync();

    const everything = [agent.stderr(), ...payloads, ...responses, ...commandLines].join('\n');
    expect(payloads.length).toBeGreaterThan(0);
    expect(responses[0]).toContain('viewer:***@');
    for (const secret of [CAMERA_PASSWORD, encodeURIComponent(CAMERA_PASSWORD), MQTT_PASSWORD])
      expect(everything, `"${secret}" leaked`).not.toContain(secret);
    // One line per change: the outage is logged once, not once per retry.
    expect((agent.stderr().match(/"msg":"camera offline"/g) ?? []).length).toBeLessThanOrEqual(2);
  }, 240_000);
});
