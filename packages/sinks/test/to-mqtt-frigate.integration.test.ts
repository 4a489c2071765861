import type { TrackedFrame } from '@rxvision/tracker';
import { from, lastValueFrom, merge, Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, type MqttPublisher, toMqtt } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const t0 = 1_700_000_000_000;

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

describe('Frigate event semantics against a real mosquitto (issue 15 item 3)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  async function publishThrough(
    prefix: string,
    run: (publisher: MqttPublisher) => Promise<unknown>,
  ): Promise<{
    events: () => EventMessage[];
    value: (topic: string) => string | undefined;
    values: (topic: string) => string[];
    all: () => string[];
  }> {
    const sub = await subscriber(broker.url, [`${prefix}/#`]);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: prefix,
      statsIntervalMs: 0,
      discovery: false,
      logger: quiet,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'connected');
    await run(publisher);
    expect(await publisher.flush(10_000)).toBe(true);
    await publisher.close(5000);
    await waitFor(
      () => sub.messages.some((m) => m.topic === `${prefix}/available` && m.payload.toString() === 'offline'),
      10_000,
      'offline',
    );
    await sub.close();
    const texts = sub.messages.map((m) => ({ topic: m.topic, text: m.payload.toString() }));
    return {
      events: () =>
        texts.filter((m) => m.topic === `${prefix}/events`).map((m) => JSON.parse(m.text) as EventMessage),
      value: (topic) => texts.filter((m) => m.topic === topic).at(-1)?.text,
      all: () => texts.map((m) => m.topic),
      values: (topic: string) => texts.filter((m) => m.topic === topic).map((m) => m.text),
    };
  }

  it('sends `new` only once the computed score reaches the threshold, with every field Frigate templates read', async () => {
    // Computed score 0.5, 0.6, then 0.72 and 0.73: the object is a false positive for two frames.
    const computed = [0.5, 0.6, 0.72, 0.73];
    const frames = computed.map((computedScore, i) =>
      trackedFrame(greyFrame('porch', i, t0 + i * 100, 64, 48), [
        makeTrack(7, t0, {
          lastSeen: t0 + i * 100,
          computedScore,
          topScore: computedScore,
          score: 0.9,
          currentZones: ['steps'],
          enteredZones: ['steps'],
          zoneDwellMs: { steps: i * 100 },
          motionlessCount: 2,
        }),
      ]),
    );
    const got = await publishThrough('fr1', (publisher) =>
      lastValueFrom(
        from(frames).pipe(toMqtt(publisher, { camera: 'porch', snapshot: false, reviews: false })),
      ),
    );
    const events = got.events();
    expect(events.map((e) => e.type)).toEqual(['new']);
    const after = events[0]!.after;
    expect(after.frame_time).toBe((t0 + 200) / 1000);
    expect(after).toMatchObject({
      label: 'person',
      sub_label: null,
      false_positive: false,
      top_score: 0.72,
      active: true,
      stationary: false,
      motionless_count: 2,
      position_changes: 1,
      region: [0, 0, 64, 48],
      has_clip: false,
      has_snapshot: false,
      thumbnail: null,
      attributes: {},
      current_attributes: [],
      current_zones: ['steps'],
      zone_dwell_time: { steps: 0.2 },
      loitering_zones: [],
    });
    expect(after.snapshot).toMatchObject({
      box: [10, 8, 30, 40],
      area: 640,
      region: [0, 0, 64, 48],
      score: 0.9,
    });
    expect(got.value('fr1/porch/person')).toBe('1');
    expect(got.value('fr1/porch/person/active')).toBe('1');
    expect(got.value('fr1/porch/all/active')).toBe('1');
  });

  it('keeps a label below its own threshold unpublished, and sends an `update` once a minute when nothing else changes', async () => {
    const still = (i: number, seconds: number) =>
      trackedFrame(greyFrame('lot', i, t0 + seconds * 1000), [
        makeTrack(1, t0, { lastSeen: t0 + seconds * 1000, stationary: true }),
        makeTrack(2, t0, { lastSeen: t0 + seconds * 1000, label: 'car', computedScore: 0.8 }),
      ]);
    const frames = [still(0, 0), still(1, 30), still(2, 59), still(3, 61), still(4, 100), still(5, 122)];
    const got = await publishThrough('fr2', (publisher) =>
      lastValueFrom(
        from(frames).pipe(
          toMqtt(publisher, {
            camera: 'lot',
            labels: ['person', 'car'],
            thresholds: { car: 0.9 },
            snapshot: false,
            reviews: false,
          }),
        ),
      ),
    );
    const events = got.events();
    expect(events.every((e) => e.after.label === 'person')).toBe(true);
    expect(events.map((e) => [e.type, e.after.frame_time])).toEqual([
      ['new', t0 / 1000],
      ['update', (t0 + 61_000) / 1000],
      ['update', (t0 + 122_000) / 1000],
    ]);
    expect(got.value('fr2/lot/car')).toBe('0');
    expect(got.value('fr2/lot/person')).toBe('1');
    // A stationary person is not active.
    expect(got.value('fr2/lot/person/active')).toBe('0');
  });

  it('sums a zone over the cameras that share its name, and publishes one crossing event per crossing with per-label totals', async () => {
    const person = makeTrack(1, t0, { currentZones: ['drive'], enteredZones: ['drive'] });
    const at = (
      camera: string,
      lineCounts: TrackedFrame['lineCounts'],
      events: TrackedFrame['events'] = [],
    ) =>
      trackedFrame(greyFrame(camera, 0, t0), [person], events, {
        zoneOccupancy: { drive: { count: 1, objects: { person: 1 } } },
        lineCounts,
      });
    const gate = { in: 4, out: 0, objects: { person: { in: 4, out: 0 } } };
    const crossing = {
      type: 'line-cross' as const,
      line: 'gate',
      direction: 'in' as const,
      track: person,
      at: t0,
    };
    const got = await publishThrough('fr3', async (publisher) => {
      // Two cameras' pipelines run side by side, as in the agent.
      const front = new Subject<TrackedFrame>();
      const side = new Subject<TrackedFrame>();
      const done = lastValueFrom(
        merge(
          front.pipe(toMqtt(publisher, { camera: 'front', zones: ['drive'], snapshot: false })),
          side.pipe(
            toMqtt(publisher, { camera: 'side', zones: ['drive'], lines: ['gate'], snapshot: false }),
          ),
        ),
      );
      front.next(at('front', {}));
      side.next(at('side', { gate }, [crossing]));
      front.complete();
      side.complete();
      await done;
    });
    // One person on each camera: 1, then 2; each camera that stops takes its person out.
    expect(got.values('fr3/drive/person')).toEqual(['1', '2', '1', '0']);
    expect(got.values('fr3/drive/all')).toEqual(['1', '2', '1', '0']);
    expect(got.all().filter((t) => t === 'fr3/side/gate/crossing')).toHaveLength(1);
    expect(got.value('fr3/side/gate/person/in')).toBe('4');
    expect(got.value('fr3/side/gate/in')).toBe('4');
    const event = JSON.parse(got.value('fr3/side/gate/crossing')!);
    expect(event).toMatchObject({
      camera: 'side',
      line: 'gate',
      track_id: 1,
      label: 'person',
      direction: 'in',
      time: t0 / 1000,
    });
    expect(typeof event.id).toBe('string');
    // One review per camera: each saw an active person.
    const reviews = got.all().filter((t) => t === 'fr3/reviews');
    expect(reviews.length).toBe(4);
  });
});
