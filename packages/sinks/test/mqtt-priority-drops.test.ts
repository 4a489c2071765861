import { silentLogger } from '@rxvision/decode';
import { from, lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, toMqtt } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

const LIFETIME = 6;

/** Frame f: tracks f-5…f are visible, each scoring higher than the frame before (an `update`); f-6 ends. */
function outageFrame(f: number, t0: number) {
  const at = t0 + f * 100;
  const tracks = [];
  for (let id = Math.max(1, f - LIFETIME + 1); id <= f; id++) {
    const age = f - id;
    tracks.push(
      makeTrack(id, at, { firstSeen: at - age * 100, topScore: 0.5 + age * 0.05, score: 0.5 + age * 0.05 }),
    );
  }
  const events = f > LIFETIME ? [{ type: 'end' as const, track: makeTrack(f - LIFETIME, at - 100), at }] : [];
  return trackedFrame(greyFrame('yard', f, at), tracks, events);
}

describe('offline queue overflow against a real mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('after an outage that overflows the queue many times over, every `new` that arrives has its `end`', async () => {
    const sub = await subscriber(broker.url, ['pd/events'], { clientId: 'pd-durable', clean: false });
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'pd',
      statsIntervalMs: 0,
      discovery: false,
      reconnectPeriod: 100,
      reconnectPeriodMax: 300,
      // Detections queued too (QoS 1), so they compete for the queue with the events.
      qos: { detections: 1 },
      dropDetectionsWhileOffline: false,
      offlineQueue: { maxMessages: 60 },
      logger: silentLogger,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    await broker.stop();
    await waitFor(() => !publisher.metrics().connected, 10_000, 'publisher noticed the outage');

    // 400 frames during the outage: 400 objects, ~2000 updates, 400 detections messages, counts.
    const t0 = Date.now();
    const frames = Array.from({ length: 400 }, (_, i) => outageFrame(i + 1, t0));
    await lastValueFrom(
      from(frames).pipe(toMqtt(publisher, { camera: 'yard', snapshot: false, detectionsIntervalMs: 0 })),
    );
    const { dropped, queueDepth } = publisher.metrics();
    expect(dropped.overflow).toBeGreaterThan(2000);
    expect(queueDepth).toBeLessThanOrEqual(60);

    await broker.start();
    expect(await publisher.flush(20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const seen = sub.messages.map(
      (m) => JSON.parse(m.payload.toString()) as { type: string; after: { id: string } },
    );
    const starts = new Set(seen.filter((e) => e.type === 'new').map((e) => e.after.id));
    const ends = new Set(seen.filter((e) => e.type === 'end').map((e) => e.after.id));
    // Only the objects still visible in the last frame may lack their `end`; no `end` comes without its `new`.
    const open = [...starts].filter((id) => !ends.has(id));
    const orphanEnds = [...ends].filter((id) => !starts.has(id));
    console.log(
      `outage overflow: ${JSON.stringify({ dropped, delivered: seen.length, objects: starts.size, ended: ends.size, open: open.length })}`,
    );
    expect(starts.size).toBeGreaterThan(0);
    expect(open.length).toBeLessThanOrEqual(LIFETIME);
    expect(orphanEnds).toEqual([]);
    await publisher.close(5000);
    await sub.close();
  }, 60_000);
});
