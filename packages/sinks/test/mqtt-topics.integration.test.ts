import { silentLogger } from '@rxvision/decode';
import { from, lastValueFrom, of } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, toMqtt, toMqttStatus } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

const quiet = silentLogger;

describe('status, stats, zone and line topics against a real mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('publishes camera status retained and periodic stats with queue depth and fps', async () => {
    const sub = await subscriber(broker.url, ['st/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'st',
      statsIntervalMs: 300,
      discovery: false,
      logger: quiet,
      stats: () => ({ detector: { queue: 2 } }),
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'connected');
    await lastValueFrom(
      from([
        { streamId: 'front', state: 'connecting' as const, at: 1_700_000_000_000 },
        { streamId: 'front', state: 'offline' as const, at: 1_700_000_001_000, reason: 'connection refused' },
      ]).pipe(toMqttStatus(publisher)),
    );
    const t0 = Date.now();
    await lastValueFrom(
      from([0, 1, 2].map((i) => trackedFrame(greyFrame('front', i, t0 + i * 100), [makeTrack(1, t0)]))).pipe(
        toMqtt(publisher, { camera: 'front', snapshot: false }),
      ),
    );
    await waitFor(() => sub.messages.some((m) => m.topic === 'st/stats'), 10_000, 'stats');
    const stats = JSON.parse(sub.messages.find((m) => m.topic === 'st/stats')!.payload.toString());
    expect(stats.cameras.front.frames).toBe(3);
    expect(stats.cameras.front.inference_speed).toBe(5);
    expect(stats.mqtt).toHaveProperty('queue_depth', 0);
    expect(stats.detector).toEqual({ queue: 2 });
    const statuses = sub.messages
      .filter((m) => m.topic === 'st/front/status')
      .map((m) => JSON.parse(m.payload.toString()));
    expect(statuses).toEqual([
      { state: 'connecting', at: 1_700_000_000 },
      { state: 'offline', at: 1_700_000_001, reason: 'connection refused' },
    ]);
    await publisher.close(5000);
    await sub.close();
    const late = await subscriber(broker.url, ['st/front/status']);
    await waitFor(() => late.messages.length > 0, 10_000, 'retained status');
    expect(JSON.parse(late.messages[0]!.payload.toString()).state).toBe('offline');
    await late.close();
  });

  it('leaves a retained offline (reason stopped) when a camera that was online stops reporting', async () => {
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'stop',
      statsIntervalMs: 0,
      discovery: false,
      logger: quiet,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'connected');
    await lastValueFrom(
      from([
        { streamId: 'gate', state: 'connecting' as const, at: 1_700_000_000_000 },
        { streamId: 'gate', state: 'online' as const, at: 1_700_000_001_000 },
      ]).pipe(toMqttStatus(publisher)),
    );
    await publisher.close(5000);
    const late = await subscriber(broker.url, ['stop/gate/status']);
    await waitFor(() => late.messages.length > 0, 10_000, 'retained status');
    const last = JSON.parse(late.messages[0]!.payload.toString()) as {
      state: string;
      reason?: string;
      at: number;
    };
    expect(last).toMatchObject({ state: 'offline', reason: 'stopped' });
    expect(last.at).toBeGreaterThan(1_700_000_001);
    await late.close();
  });

  it('publishes zone occupancy per label and line in/out totals from the tracker, retained', async () => {
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'zl',
      statsIntervalMs: 0,
      discovery: false,
      logger: quiet,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'connected');
    const t0 = Date.now();
    const person = makeTrack(1, t0, { currentZones: ['porch'], enteredZones: ['porch'] });
    const frame = trackedFrame(greyFrame('yard', 0, t0), [person], [], {
      zoneOccupancy: { porch: { count: 1, objects: { person: 1 } } },
      lineCounts: { gate: { in: 3, out: 1, objects: { person: { in: 2, out: 1 }, car: { in: 1, out: 0 } } } },
    });
    await lastValueFrom(
      of(frame).pipe(
        toMqtt(publisher, { camera: 'yard', zones: ['porch'], lines: ['gate'], snapshot: false }),
      ),
    );
    expect(await publisher.flush(10_000)).toBe(true);
    const sub = await subscriber(broker.url, ['zl/#']);
    await waitFor(() => sub.messages.length >= 10, 10_000, 'retained counts');
    const value = (topic: string) => sub.messages.find((m) => m.topic === topic)?.payload.toString();
    // The stopped camera's person has left the zone count (no other camera has a porch).
    expect(value('zl/porch/person')).toBe('0');
    expect(value('zl/porch/all')).toBe('0');
    expect(value('zl/yard/gate/in')).toBe('3');
    expect(value('zl/yard/gate/out')).toBe('1');
    expect(value('zl/yard/gate/person/in')).toBe('2');
    expect(value('zl/yard/gate/car/in')).toBe('1');
    expect(value('zl/yard/gate/car/out')).toBe('0');
    expect(value('zl/yard/person')).toBe('1');
    expect(value('zl/yard/all')).toBe('1');
    await publisher.close(5000);
    await sub.close();
  });
});
