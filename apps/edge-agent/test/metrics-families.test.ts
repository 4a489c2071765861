import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import {
  type AgentProcess,
  metricValue,
  type Sample,
  scrape,
  startAgent,
  waitFor,
} from './helpers/agent-process.js';

const sum = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);

describe('/metrics, parsed strictly, carries the process, MQTT, event, track, line and latency families (real agent)', () => {
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await broker?.stop();
  });

  it('counts tracks, line crossings, published events, MQTT drops while the broker is down and the reconnect', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rxv-metrics-')), 'agent.yml');
    writeFileSync(
      file,
      [
        'mqtt:',
        `  url: ${broker.url}`,
        '  topic_prefix: metrics',
        'http:',
        '  listen: 127.0.0.1:0',
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        '  street:',
        `    url: ${sharedPath('videos', 'street-cars.mp4')}`,
        '    fps: 4',
        '    objects: [car]',
        // Cars cross in a few frames at 4 fps: count a crossing on the first frame past the line.
        '    lines:',
        '      across: { coordinates: "0,176,640,176", inertia: 1, deadband: 0 }',
        '      along: { coordinates: "320,0,320,352", inertia: 1, deadband: 0 }',
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();

    const first = await scrape(base);
    // prom-client's default process metrics.
    for (const name of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(metricValue(first, name), name).toBeGreaterThanOrEqual(0);
    expect(first.find((s) => s.name === 'rxvision_build_info')?.labels).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      node_version: process.version,
    });
    for (const reason of ['overflow', 'expired', 'offline', 'snapshot_oversize'])
      expect(metricValue(first, 'rxvision_mqtt_dropped_total', { reason }), reason).toBe(0);
    expect(metricValue(first, 'rxvision_mqtt_reconnects_total')).toBe(0);

    const crossed = await waitFor(
      'a line crossing',
      async () => {
        const samples = await scrape(base);
        return sum(samples, 'rxvision_line_crossings_total', { camera: 'street', label: 'car' }) > 0
          ? samples
          : undefined;
      },
      150_000,
    );
    const crossing = crossed.find((s) => s.name === 'rxvision_line_crossings_total');
    expect(['in', 'out']).toContain(crossing?.labels.direction);
    expect(['across', 'along']).toContain(crossing?.labels.line);
    expect(
      metricValue(crossed, 'rxvision_tracks_started_total', { camera: 'street', label: 'car' }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(crossed, 'rxvision_events_published_total', { camera: 'street', type: 'new' }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(crossed, 'rxvision_capture_to_publish_seconds_count', { camera: 'street' }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(crossed, 'rxvision_capture_to_publish_seconds_bucket', { camera: 'street', le: '+Inf' }),
    ).toBe(metricValue(crossed, 'rxvision_capture_to_publish_seconds_count', { camera: 'street' }));

    // The broker goes away: per-frame detections (QoS 0) are dropped and counted, not silent.
    await broker.stop();
    await waitFor('offline drops counted', async () =>
      (metricValue(await scrape(base), 'rxvision_mqtt_dropped_total', { reason: 'offline' }) ?? 0) > 0
        ? true
        : undefined,
    );
    await broker.start();
    await waitFor(
      'the reconnect counted',
      async () =>
        (metricValue(await scrape(base), 'rxvision_mqtt_reconnects_total') ?? 0) >= 1 ? true : undefined,
      60_000,
    );
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 300_000);
});
