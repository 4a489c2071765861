import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, metricValue, scrape, startAgent, waitFor } from './helpers/agent-process.js';

const PASSWORD = 's3cret-pw';

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { id: string; label: string; camera: string; box: number[] };
}

describe('edge-agent run --config: a real RTSP camera → the agent → a real mosquitto (issue #7)', () => {
  let broker: Mosquitto;
  let camera: RtspCamera;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    [broker, camera] = await Promise.all([
      startMosquitto(),
      startRtspCamera({
        clip: sharedPath('videos', 'people-walking-indoor.mp4'),
        user: 'viewer',
        password: PASSWORD,
      }),
    ]);
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await Promise.all([broker?.stop(), camera?.stop()]);
  });

  it('publishes events, retained counts, camera status and availability; serves health, metrics and cameras; never prints the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-e2e-'));
    const config = join(dir, 'agent.yml');
    const rtspPort = await freePort();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
    const url = camera.url.replace(PASSWORD, '${CAM_PASSWORD}');
    writeFileSync(
      config,
      [
        'mqtt:',
        `  url: ${broker.url}`,
        '  topic_prefix: e2e',
        'http:',
        '  listen: 127.0.0.1:0',
        'rtsp:',
        `  port: ${rtspPort}`,
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        '  door:',
        `    url: ${url}`,
        '    fps: 2',
        '    objects: [person]',
        '    restream: true',
      ].join('\n'),
    );
    const subscriber = await mqtt.connectAsync(broker.url);
    const events: EventMessage[] = [];
    const retained = new Map<string, string>();
    const status: string[] = [];
    subscriber.on('message', (topic, payload) => {
      const text = payload.toString();
      if (topic === 'e2e/events') events.push(JSON.parse(text) as EventMessage);
      else if (topic === 'e2e/door/status') status.push((JSON.parse(text) as { state: string }).state);
      else retained.set(topic, text);
    });
    await subscriber.subscribeAsync('e2e/#', { qos: 1 });

    agent = startAgent(['run', '--config', config], { CAM_PASSWORD: PASSWORD });
    const base = await agent.httpUrl();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const person = await waitFor(
      'a person event from the RTSP camera',
      () => events.find((e) => e.type === 'new' && e.after.label === 'person' && e.after.camera === 'door'),
      90_000,
    );
    expect(person.after.box).toHaveLength(4);
    expect(retained.get('e2e/available')).toBe('online');
    expect(status).toContain('online');
    await waitFor('a retained person count ≥ 1', () =>
      Number(retained.get('e2e/door/person')) >= 1 ? true : undefined,
    );

    // The annotated restream, read by a real RTSP client: H.264 at the camera's resolution.
    const probe = await new Promise<string>((resolve, reject) =>
      execFile(
        'ffprobe',
        [
          '-v',
          'error',
          '-rtsp_transport',
          'tcp',
          '-show_entries',
          'stream=codec_name,width,height',
          '-of',
          'json',
          `rtsp://127.0.0.1:${rtspPort}/door-annotated`,
        ],
        { timeout: 30_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`ffprobe failed: ${stderr}`)) : resolve(stdout)),
      ),
    );
    expect((JSON.parse(probe) as { streams: unknown[] }).streams).toEqual([
      { codec_name: 'h264', width: 768, height: 432 },
    ]);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const cameras = await (await fetch(`${base}/api/cameras`)).text();
    expect(cameras).not.toContain(PASSWORD);
    const door = (JSON.parse(cameras) as Array<{ id: string; state: string; framesProcessed: number }>)[0];
    expect(door?.id).toBe('door');
    expect(door?.state).toBe('online');

    // /metrics is valid Prometheus text and its counters move.
    const first = await scrape(base);
    const processed1 = metricValue(first, 'rxvision_camera_frames_processed_total', { camera: 'door' }) ?? 0;
    expect(processed1).toBeGreaterThan(0);
    expect(metricValue(first, 'rxvision_detector_provider', { detector: 'default', provider: 'cpu' })).toBe(
      1,
    );
    expect(metricValue(first, 'rxvision_inference_seconds_count', { detector: 'default' })).toBeGreaterThan(
      0,
    );
    expect(metricValue(first, 'rxvision_batch_size_count', { detector: 'default' })).toBeGreaterThan(0);
    expect(metricValue(first, 'rxvision_camera_frames_in_total', { camera: 'door' })).toBeGreaterThanOrEqual(
      processed1,
    );
    expect(
      metricValue(first, 'rxvision_events_published_total', { camera: 'door', type: 'new' }),
    ).toBeGreaterThan(0);
    expect(metricValue(first, 'rxvision_mqtt_connected')).toBe(1);
    expect(metricValue(first, 'rxvision_mqtt_queue_depth')).toBeDefined();
    const moved = await waitFor('the processed counter to move', async () => {
      const later =
        metricValue(await scrape(base), 'rxvision_camera_frames_processed_total', { camera: 'door' }) ?? 0;
      return later > processed1 ? later : undefined;
    });
    expect(moved).toBeGreaterThan(processed1);

    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await waitFor('offline', () => (retained.get('e2e/available') === 'offline' ? true : undefined), 5000);
    // The camera's retained status no longer says online once nobody runs it.
    await waitFor('camera offline', () => (status.at(-1) === 'offline' ? true : undefined), 5000);
    expect(agent.stderr()).not.toContain(PASSWORD);
    expect(agent.stderr()).toContain('viewer:***@');
    await subscriber.endAsync();
  });
});
