import { backoffDelay, silentLogger } from '@rxvision/decode';
import type { TrackedFrame } from '@rxvision/tracker';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type MessageKind, type MqttPublisher, type PublisherMetrics, toMqtt } from '../src/index.js';
import { OfflineQueue } from '../src/internal.js';
import { reconnectSchedule } from '../src/mqtt/reconnect-schedule.js';
import { greyFrame, makeTrack, trackedFrame } from './fixtures.js';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

interface Sent {
  readonly at: number;
  readonly kind: MessageKind;
  readonly topic: string;
  readonly payload: string;
}

/** Records what toMqtt hands to its publisher, stamped with virtual time (the broker is in the integration tests). */
function recordingPublisher(now: () => number): MqttPublisher & { readonly sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    topicPrefix: 'vt',
    availableTopic: 'vt/available',
    statsTopic: 'vt/stats',
    logger: silentLogger,
    client: undefined as never,
    topic: (...levels) => ['vt', ...levels].join('/'),
    publish: (kind, topic, payload) => sent.push({ at: now(), kind, topic, payload: payload.toString() }),
    registerCamera: () => {},
    unregisterCamera: () => {},
    recordFrame: () => {},
    recordSnapshotOversize: () => {},
    metrics: () => ({}) as PublisherMetrics,
    flush: async () => true,
    close: async () => true,
  };
}

describe('detections rate limit (virtual time)', () => {
  it('sends the first frame at once, then at most one per interval, and never loses the newest', () => {
    const scheduler = newScheduler();
    const publisher = recordingPublisher(() => scheduler.now());
    scheduler.run(({ cold, flush }) => {
      const values: Record<string, TrackedFrame> = {};
      for (let i = 0; i < 10; i++) {
        values[String.fromCharCode(97 + i)] = trackedFrame(greyFrame('c', i, i * 10), [makeTrack(1, 0)]);
      }
      // A frame every 10 ms for 90 ms, rate limit 40 ms.
      cold('a 9ms b 9ms c 9ms d 9ms e 9ms f 9ms g 9ms h 9ms i 9ms (j|)', values)
        .pipe(toMqtt(publisher, { camera: 'c', detectionsIntervalMs: 40, snapshot: false, scheduler }))
        .subscribe();
      flush();
    });
    const sent = publisher.sent.filter((s) => s.kind === 'detections');
    const seqs = sent.map((s) => JSON.parse(s.payload).seq as number);
    expect(sent[0]).toMatchObject({ at: 0 });
    expect(seqs[0]).toBe(0);
    expect(seqs.at(-1)).toBe(9);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(40);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(sent.length).toBeGreaterThanOrEqual(3);
  });

  it('sends every frame when the interval is 0', () => {
    const scheduler = newScheduler();
    const publisher = recordingPublisher(() => scheduler.now());
    scheduler.run(({ cold, flush }) => {
      const values = { a: 0, b: 1, c: 2 };
      const frames: Record<string, TrackedFrame> = {};
      for (const [k, i] of Object.entries(values)) frames[k] = trackedFrame(greyFrame('c', i, i), []);
      cold('abc|', frames)
        .pipe(toMqtt(publisher, { camera: 'c', detectionsIntervalMs: 0, snapshot: false, scheduler }))
        .subscribe();
      flush();
    });
    expect(publisher.sent.filter((s) => s.kind === 'detections')).toHaveLength(3);
  });
});

describe('review segments through toMqtt (virtual time)', () => {
  it('opens a review with the first published person and ends it 120 s after frames stop coming', () => {
    const scheduler = newScheduler();
    const publisher = recordingPublisher(() => scheduler.now());
    scheduler.run(({ cold, flush }) => {
      const frames: Record<string, TrackedFrame> = {};
      // One frame a second for 5 s, then the camera goes quiet without completing.
      for (let i = 0; i < 5; i++)
        frames[String(i)] = trackedFrame(greyFrame('c', i, i * 1000), [
          makeTrack(1, 0, { lastSeen: i * 1000 }),
        ]);
      cold('0 999ms 1 999ms 2 999ms 3 999ms 4', frames)
        .pipe(toMqtt(publisher, { camera: 'c', snapshot: false, scheduler }))
        .subscribe();
      flush();
    });
    const reviews = publisher.sent.filter((s) => s.topic === 'vt/reviews');
    expect(reviews.map((r) => [JSON.parse(r.payload).type, r.at])).toEqual([
      ['new', 0],
      ['end', 4000 + 120_000],
    ]);
    expect(JSON.parse(reviews[1]!.payload).after).toMatchObject({ severity: 'alert', end_time: 4 });
  });
});

describe('offline queue bounds (virtual time)', () => {
  const message = (n: number) => ({
    kind: 'events' as const,
    topic: `t/${n}`,
    payload: String(n),
    qos: 1 as const,
    retain: false,
  });

  it('drops messages older than maxAgeMs at delivery time and counts them', () => {
    const scheduler = newScheduler();
    let drained: string[] = [];
    const dropped: string[] = [];
    scheduler.run(() => {
      const queue = new OfflineQueue(
        { maxMessages: 100, maxAgeMs: 1000 },
        () => scheduler.now(),
        (reason, m) => dropped.push(`${reason}:${m.payload}`),
      );
      for (const t of [0, 300, 600, 900]) scheduler.schedule(() => queue.push(message(t)), t);
      // Delivery at 1500 ms: 0 and 300 are more than 1000 ms old.
      scheduler.schedule(() => {
        drained = queue.drain().map((m) => m.payload.toString());
        expect(queue.drops).toEqual({ overflow: 0, expired: 2 });
      }, 1500);
    });
    expect(drained).toEqual(['600', '900']);
    expect(dropped).toEqual(['expired:0', 'expired:300']);
  });

  it('keeps the newest maxMessages, counting the overflow, and coalesces retained topics', () => {
    let now = 0;
    const queue = new OfflineQueue({ maxMessages: 3, maxAgeMs: 60_000 }, () => now);
    for (let i = 0; i < 5; i++) {
      now += 1;
      queue.push(message(i));
    }
    queue.push({ ...message(9), topic: 'count', retain: true });
    queue.push({ ...message(10), topic: 'count', retain: true });
    expect(queue.drops.overflow).toBe(3);
    expect(queue.drain().map((m) => m.payload)).toEqual(['3', '4', '10']);
  });
});

describe('reconnect backoff (virtual time)', () => {
  it('doubles the delay after each loss, caps it, and starts over after a connect', () => {
    const noJitter = { initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000,
    ]);
    const scheduler = newScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const lost = hot('l 19ms l 29ms l 59ms l');
      const connected = hot('100ms c');
      const backoff = { initialDelayMs: 10, maxDelayMs: 40, jitter: 0 };
      expectObservable(reconnectSchedule(lost, connected, backoff, scheduler)).toBe(
        '10ms a 29ms b 49ms c 29ms d',
        { a: 1, b: 2, c: 3, d: 1 },
      );
    });
  });

  it('spreads each delay by the jitter, so a fleet does not reconnect in lockstep after a broker restart', () => {
    const scheduler = newScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const lost = hot('l');
      const early = reconnectSchedule(
        lost,
        hot(''),
        { initialDelayMs: 100, jitter: 0.2 },
        scheduler,
        () => 0,
      );
      expectObservable(early).toBe('80ms a', { a: 1 });
    });
  });
});
