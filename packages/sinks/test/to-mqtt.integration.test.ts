import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, toMqtt } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

describe('toMqtt against a real mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('publishes detections, Frigate events and retained counts that a real subscriber receives', async () => {
    const sub = await subscriber(broker.url, ['it1/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'it1',
      statsIntervalMs: 0,
      discovery: false,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    const t0 = 1_700_000_000_000;
    const a = (i: number) =>
      makeTrack(1, t0, { lastSeen: t0 + i * 100, score: 0.7 + i * 0.01, topScore: 0.7 + i * 0.01 });
    const frames = [0, 1, 2, 3, 4].map((i) => {
      const track = a(i);
      const events = i === 0 ? [{ type: 'new' as const, track, at: t0 }] : [];
      return trackedFrame(greyFrame('front', i, t0 + i * 100), [track], events);
    });
    const ended = a(4);
    frames.push(
      trackedFrame(greyFrame('front', 5, t0 + 500), [], [{ type: 'end', track: ended, at: t0 + 500 }]),
    );

    const out = await lastValueFrom(
      from(frames).pipe(
        toMqtt(publisher, { camera: 'front', detectionsIntervalMs: 0, snapshot: false }),
        toArray(),
      ),
    );
    expect(out).toEqual(frames);
    expect(await publisher.flush(10_000)).toBe(true);

    const detections = () => sub.messages.filter((m) => m.topic === 'it1/front/detections');
    const events = () => sub.messages.filter((m) => m.topic === 'it1/events');
    await waitFor(() => detections().length === 6 && events().length >= 2, 10_000, 'detections and events');
    const parsed = detections().map((m) => JSON.parse(m.payload.toString()));
    expect(parsed.map((p) => p.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parsed[0].objects[0]).toMatchObject({ track_id: 1, label: 'person', box: [10, 8, 30, 40] });
    expect(parsed[0].frame_time).toBe(t0 / 1000);
    // One id for the whole life of the track.
    const ids = new Set(parsed.slice(0, 5).map((p) => p.objects[0].id));
    expect(ids.size).toBe(1);

    const evs = events().map((m) => JSON.parse(m.payload.toString()));
    expect(evs[0].type).toBe('new');
    expect(evs.at(-1).type).toBe('end');
    expect(evs.at(-1).after).toMatchObject({
      camera: 'front',
      label: 'person',
      box: [10, 8, 30, 40],
      area: 640,
    });
    expect(evs.at(-1).after.end_time).toBe((t0 + 500) / 1000);
    expect(evs.at(-1).after.id).toBe([...ids][0]);
    for (const key of [
      'id',
      'camera',
      'label',
      'score',
      'top_score',
      'box',
      'area',
      'frame_time',
      'start_time',
      'end_time',
      'current_zones',
      'entered_zones',
      'stationary',
    ]) {
      expect(evs[0].after).toHaveProperty(key);
    }
    // Counts went 0 → 1 → 0 and the broker kept the last one.
    const counts = sub.messages
      .filter((m) => m.topic === 'it1/front/person')
      .map((m) => m.payload.toString());
    expect(counts).toEqual(['0', '1', '0']);
    await publisher.close(5000);
    await sub.close();

    const late = await subscriber(broker.url, ['it1/front/person', 'it1/available']);
    await waitFor(() => late.messages.length >= 2, 10_000, 'retained count and availability');
    expect(late.messages.find((m) => m.topic === 'it1/front/person')).toMatchObject({ retain: true });
    expect(late.messages.find((m) => m.topic === 'it1/available')?.payload.toString()).toBe('offline');
    await late.close();
  });
});
