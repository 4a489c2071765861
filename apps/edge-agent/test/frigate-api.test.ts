import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, startAgent, waitFor } from './helpers/agent-process.js';

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { readonly id: string; readonly camera: string; readonly label: string };
}

/** JPEG files start with the SOI marker FF D8 FF. */
function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** A JPEG's pixel height, from its start-of-frame segment. */
function jpegHeight(bytes: Uint8Array): number {
  let i = 2;
  while (i + 9 < bytes.length) {
    const marker = bytes[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc3) return ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
    i += 2 + (((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0));
  }
  throw new Error('no start-of-frame segment');
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

/** A record's value at `key` (the integration indexes these without a default: a miss raises KeyError there). */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    expect(current, `missing ${path.join('.')}`).toBeTypeOf('object');
    expect(Object.keys(current as object), `missing ${path.join('.')}`).toContain(key);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

describe('the Frigate-compatible HTTP API, as the Home Assistant integration calls it (real clip, model, mosquitto)', () => {
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await broker?.stop();
  });

  it('answers version, config, stats, events, event snapshots and latest.jpg in the shapes the integration reads', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rxv-frigate-api-')), 'agent.yml');
    writeFileSync(
      file,
      [
        'mqtt:',
        `  url: ${broker.url}`,
        '  topic_prefix: fapi',
        'http:',
        '  listen: 127.0.0.1:0',
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        '  hall:',
        `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
        '    fps: 3',
        '    objects: [person]',
        '    zones: { floor: { coordinates: "0,216,768,216,768,432,0,432" } }',
        '    lines: { middle: { coordinates: "384,0,384,432" } }',
      ].join('\n'),
    );
    const subscriber = await mqtt.connectAsync(broker.url);
    const events: EventMessage[] = [];
    subscriber.on('message', (_topic, payload) =>
      events.push(JSON.parse(payload.toString()) as EventMessage),
    );
    await subscriber.subscribeAsync('fapi/events', { qos: 1 });

    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();

    // config_flow / async_setup_entry: /api/version as text, its part before "-" at least 0.12.0.
    const version = await (await fetch(`${base}/api/version`)).text();
    const [major, minor] = (version.split('-')[0] ?? '').split('.').map(Number);
    expect((major ?? 0) * 100 + (minor ?? 0)).toBeGreaterThanOrEqual(12);
    expect(version).toMatch(/^\d+\.\d+\.\d+-rxvision\./);

    // /api/config: the keys __init__.py, sensor.py, camera.py, switch.py and number.py index directly.
    const config = await getJson(`${base}/api/config`);
    expect(at(config, 'mqtt', 'topic_prefix')).toBe('fapi');
    expect(at(config, 'model')).toBeTypeOf('object');
    expect(String(at(config, 'version'))).toMatch(/^0\.1[2-5]$/);
    expect(at(config, 'cameras', 'hall', 'objects', 'track')).toEqual(['person']);
    expect(Object.keys(at(config, 'cameras', 'hall', 'zones') as object)).toEqual(['floor']);
    expect(at(config, 'cameras', 'hall', 'audio', 'enabled_in_config')).toBe(false);
    expect(at(config, 'cameras', 'hall', 'motion', 'threshold')).toBeTypeOf('number');
    expect(at(config, 'cameras', 'hall', 'motion', 'contour_area')).toBeTypeOf('number');
    expect(at(config, 'cameras', 'hall', 'snapshots', 'enabled')).toBe(true);

    // The coordinator polls /api/stats: camera fps (0 reads as unavailable), detector speed, uptime.
    const stats = await waitFor('the camera processing in /api/stats', async () => {
      const s = await getJson(`${base}/api/stats`);
      return Number(at(s, 'cameras', 'hall', 'camera_fps')) > 0 ? s : undefined;
    });
    for (const key of ['camera_fps', 'process_fps', 'detection_fps'])
      expect(at(stats, 'cameras', 'hall', key)).toBeTypeOf('number');
    expect(Number(at(stats, 'detectors', 'default', 'inference_speed'))).toBeGreaterThan(0);
    expect(at(stats, 'detection_fps')).toBeTypeOf('number');
    expect(at(stats, 'service', 'uptime')).toBeTypeOf('number');
    expect(at(stats, 'service', 'version')).toBe(version);
    // No cpu_usages / gpu_usages: the integration would make per-process sensors with nothing behind them.
    expect(Object.keys(stats as object).sort()).toEqual(['cameras', 'detection_fps', 'detectors', 'service']);

    // A snapshot URL from an MQTT `events` message returns the track's JPEG (encoded just after `new`).
    const person = await waitFor(
      'a person event',
      () => events.find((e) => e.type === 'new' && e.after.camera === 'hall'),
      120_000,
    );
    const snapshotUrl = `${base}/api/events/${encodeURIComponent(person.after.id)}/snapshot.jpg`;
    const snapshot = await waitFor('the event snapshot', async () => {
      const response = await fetch(snapshotUrl);
      return response.status === 200 ? response : undefined;
    });
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = new Uint8Array(await snapshot.arrayBuffer());
    expect(isJpeg(jpeg)).toBe(true);
    expect(jpeg.length).toBeGreaterThan(1000);
    expect(jpeg.length).toBeLessThanOrEqual(256 * 1024);
    // The thumbnail: the snapshot at most 175 px high (Frigate's), made once and kept.
    const thumbnailUrl = `${base}/api/events/${person.after.id}/thumbnail.jpg`;
    const thumbnail = new Uint8Array(await (await fetch(thumbnailUrl)).arrayBuffer());
    expect(isJpeg(thumbnail)).toBe(true);
    expect(jpegHeight(thumbnail)).toBeLessThanOrEqual(175);
    expect(jpegHeight(thumbnail)).toBe(Math.min(175, jpegHeight(jpeg)));

    // /api/events as the integration's async_get_events asks for it.
    const listed = (await getJson(
      `${base}/api/events?cameras=hall&labels=person&limit=10&has_snapshot=1&include_thumbnails=0`,
    )) as Array<Record<string, unknown>>;
    const row = listed.find((e) => e.id === person.after.id);
    expect(row).toMatchObject({ camera: 'hall', label: 'person', has_snapshot: true, has_clip: false });
    expect(row?.start_time).toBeTypeOf('number');
    expect(await getJson(`${base}/api/events/${person.after.id}`)).toMatchObject({ id: person.after.id });
    expect(await getJson(`${base}/api/events?cameras=nowhere`)).toEqual([]);
    const unknown = await fetch(`${base}/api/events/0-nope-1/snapshot.jpg`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/not found/);

    // camera.py's async_camera_image: /api/<camera>/latest.jpg?h=…, and annotated with ?bbox=1.
    for (const [query, height] of [
      ['?h=216', 216],
      ['?bbox=1', 432],
    ] as const) {
      const latest = await fetch(`${base}/api/hall/latest.jpg${query}`);
      expect(latest.status, query).toBe(200);
      expect(latest.headers.get('content-type')).toBe('image/jpeg');
      const bytes = new Uint8Array(await latest.arrayBuffer());
      expect(isJpeg(bytes)).toBe(true);
      expect(jpegHeight(bytes), query).toBe(height);
    }
    const noCamera = await fetch(`${base}/api/attic/latest.jpg`);
    expect(noCamera.status).toBe(404);
    expect(((await noCamera.json()) as { message: string }).message).toMatch(/no camera named "attic"/);

    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await subscriber.endAsync();
  });
});
