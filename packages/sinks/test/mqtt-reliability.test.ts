import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@rxvision/decode';
import { concatMap, delay, lastValueFrom, of, range } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, toMqtt } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

const quiet = silentLogger;

/** Frame i: track i is born (`new`) and track i-1 ends (`end`), so every frame produces events. */
function eventFrame(i: number, t0: number) {
  const at = t0 + i * 30;
  const born = makeTrack(i + 1, at, { lastSeen: at });
  const events = [{ type: 'new' as const, track: born, at }];
  const previous = makeTrack(i, at - 30, { lastSeen: at - 30 });
  if (i > 0) events.push({ type: 'end' as const, track: previous, at } as never);
  return trackedFrame(greyFrame('front', i, at), [born], events);
}

describe('MQTT delivery against a real mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('delivers every event produced while the broker restarts (at least once, dedup by id) and keeps counts retained', async () => {
    // A persistent QoS 1 session: the broker keeps what arrives for it while it is reconnecting.
    const sub = await subscriber(broker.url, ['rs/events'], { clientId: 'rs-receiver', clean: false });
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'rs',
      statsIntervalMs: 0,
      discovery: false,
      reconnectPeriod: 100,
      reconnectPeriodMax: 400,
      logger: quiet,
    });
    const produced: string[] = [];
    const publish = publisher.publish;
    publisher.publish = (kind, topic, payload, options) => {
      if (topic === 'rs/events') {
        const { type, after } = JSON.parse(payload.toString());
        produced.push(`${type}:${after.id}`);
      }
      publish(kind, topic, payload, options);
    };
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');

    const t0 = Date.now();
    const run = lastValueFrom(
      range(0, 80).pipe(
        concatMap((i) => of(eventFrame(i, t0)).pipe(delay(30))),
        toMqtt(publisher, { camera: 'front', snapshot: false }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    await broker.stop();
    const producedBeforeOutage = produced.length;
    await waitFor(() => publisher.metrics().queueDepth > 5, 10_000, 'events queued during the outage');
    await new Promise((r) => setTimeout(r, 600));
    await broker.start();
    await run;
    const flushed = await publisher.flush(20_000);
    expect(JSON.stringify({ flushed, metrics: publisher.metrics() })).toContain('"flushed":true');
    expect(produced.length).toBeGreaterThan(producedBeforeOutage + 5);

    const received = () =>
      new Set(
        sub.messages.map((m) => {
          const { type, after } = JSON.parse(m.payload.toString());
          return `${type}:${after.id}`;
        }),
      );
    await waitFor(
      () => produced.every((e) => received().has(e)),
      20_000,
      'every produced event at the receiver',
    );
    expect(publisher.metrics().dropped).toMatchObject({ overflow: 0, expired: 0 });
    expect(publisher.metrics().reconnects).toBeGreaterThanOrEqual(1);
    await publisher.close(5000);
    await sub.close();

    // The last frame holds one person: the retained count says so to a subscriber arriving now.
    const late = await subscriber(broker.url, ['rs/front/person']);
    await waitFor(() => late.messages.length > 0, 10_000, 'retained count');
    expect(late.messages[0]).toMatchObject({ retain: true });
    expect(late.messages[0]!.payload.toString()).toBe('1');
    await late.close();
  });

  it('keeps the pipeline running when the broker is unreachable at start, retries, and delivers once it is up', async () => {
    await broker.stop();
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'un',
      statsIntervalMs: 0,
      discovery: false,
      reconnectPeriod: 100,
      reconnectPeriodMax: 300,
      logger: quiet,
    });
    const t0 = Date.now();
    const frames = await lastValueFrom(
      range(0, 10).pipe(
        concatMap((i) => of(eventFrame(i, t0))),
        toMqtt(publisher, { camera: 'front', snapshot: false }),
      ),
    );
    expect(frames.frame.seq).toBe(9);
    expect(publisher.metrics()).toMatchObject({ connected: false });
    expect(publisher.metrics().queueDepth).toBeGreaterThan(0);
    expect(publisher.metrics().dropped.offline).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 700));
    await broker.start();
    const sub = await subscriber(broker.url, ['un/front/person']);
    expect(await publisher.flush(20_000)).toBe(true);
    await waitFor(
      () => sub.messages.length > 0,
      10_000,
      'the retained count published after the late connect',
    );
    expect(sub.messages.at(-1)!.payload.toString()).toBe('1');
    await publisher.close(5000);
    await sub.close();
  });

  it('publishes `offline` as the Last Will when the agent process is killed with SIGKILL', async () => {
    const sub = await subscriber(broker.url, ['lwt/available']);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./lwt-child.ts', import.meta.url)), broker.url, 'lwt'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      await waitFor(() => out.includes('connected'), 30_000, 'child publisher connected');
      await waitFor(() => sub.messages.some((m) => m.payload.toString() === 'online'), 10_000, 'online');
      child.kill('SIGKILL');
      await waitFor(() => sub.messages.at(-1)?.payload.toString() === 'offline', 20_000, 'offline will');
    } finally {
      child.kill('SIGKILL');
      await sub.close();
    }
    const late = await subscriber(broker.url, ['lwt/available']);
    await waitFor(() => late.messages.length > 0, 10_000, 'retained availability');
    expect(late.messages[0]).toMatchObject({ retain: true });
    expect(late.messages[0]!.payload.toString()).toBe('offline');
    await late.close();
  });

  it('publishes Home Assistant discovery retained, valid JSON, and again when HA says online', async () => {
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'ha',
      statsIntervalMs: 0,
      logger: quiet,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    await lastValueFrom(
      of(eventFrame(0, Date.now())).pipe(
        toMqtt(publisher, { camera: 'drive', labels: ['person', 'car'], zones: ['porch'], snapshot: false }),
      ),
    );
    expect(await publisher.flush(10_000)).toBe(true);

    const sub = await subscriber(broker.url, ['homeassistant/+/ha/+/config']);
    // 2 label sensors + 2 zone×label sensors + occupancy + fps, inference time and connectivity.
    await waitFor(() => sub.messages.length >= 8, 10_000, 'retained discovery configs');
    expect(sub.messages.every((m) => m.retain)).toBe(true);
    const configs = sub.messages.map((m) => ({ topic: m.topic, config: JSON.parse(m.payload.toString()) }));
    const person = configs.find(
      (c) => c.topic === 'homeassistant/sensor/ha/drive_person_count/config',
    )?.config;
    expect(person).toMatchObject({
      state_topic: 'ha/drive/person',
      // The agent's availability and the camera's own status, both needed (an offline camera's counts are stale).
      availability: [{ topic: 'ha/available' }, { topic: 'ha/drive/status' }],
      availability_mode: 'all',
      unique_id: 'ha_drive_person_count',
      device: { identifiers: ['ha_drive'], name: 'drive' },
    });
    expect(
      configs.find((c) => c.topic === 'homeassistant/sensor/ha/drive_porch_car_count/config')?.config
        .state_topic,
    ).toBe('ha/porch/car');
    const occupancy = configs.find((c) => c.topic.endsWith('/drive_occupancy/config'))?.config;
    expect(occupancy).toMatchObject({ device_class: 'occupancy', state_topic: 'ha/drive/all' });

    const before = sub.messages.length;
    await sub.client.publishAsync('homeassistant/status', 'online');
    await waitFor(() => sub.messages.length >= before + 8, 10_000, 'discovery re-published after HA restart');
    await publisher.close(5000);
    await sub.close();
  });

  it('refuses a topic prefix with MQTT wildcards before connecting', () => {
    expect(() => createMqttPublisher({ url: broker.url, topicPrefix: 'home/#' })).toThrow(
      /wildcard.*mqtt.topic_prefix|topic_prefix.*wildcard/,
    );
    expect(() => createMqttPublisher({ url: broker.url, topicPrefix: 'cams/+/x' })).toThrow(/wildcard/);
    expect(() => createMqttPublisher({ url: broker.url, topicPrefix: 'a//b' })).toThrow(/empty topic level/);
  });

  it('drops and counts a snapshot that stays above maxBytes, and publishes one that fits', async () => {
    const warnings: string[] = [];
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'sn',
      statsIntervalMs: 0,
      discovery: false,
      logger: { ...silentLogger, warn: (m: string) => warnings.push(m) },
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    const sub = await subscriber(broker.url, ['sn/+/+/snapshot']);
    const noisy = (camera: string) => {
      const frame = greyFrame(camera, 0, Date.now(), 320, 240);
      for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 2654435761) >>> 24;
      const track = makeTrack(1, frame.capturedAt, { bbox: [20, 20, 300, 220] });
      return trackedFrame(frame, [track], [{ type: 'new', track, at: frame.capturedAt }]);
    };
    await lastValueFrom(
      of(noisy('tiny')).pipe(toMqtt(publisher, { camera: 'tiny', snapshot: { maxBytes: 100 } })),
    );
    await lastValueFrom(
      of(noisy('roomy')).pipe(toMqtt(publisher, { camera: 'roomy', snapshot: { maxBytes: 200_000 } })),
    );
    await waitFor(
      () => sub.messages.length > 0 && publisher.metrics().dropped.snapshotOversize > 0,
      20_000,
      'snapshots',
    );
    await publisher.flush(10_000);
    expect(publisher.metrics().dropped.snapshotOversize).toBe(1);
    expect(warnings.some((w) => w.includes('camera tiny') && w.includes('maxBytes'))).toBe(true);
    expect(sub.messages.map((m) => m.topic)).toEqual(['sn/roomy/person/snapshot']);
    const jpeg = sub.messages[0]!.payload;
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(jpeg.length).toBeLessThanOrEqual(200_000);
    await publisher.close(5000);
    await sub.close();
  });
});
