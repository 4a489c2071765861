import { describe, expect, it } from 'vitest';
import type { MessageKind, QueuedMessage } from '../src/index.js';
import { OfflineQueue } from '../src/internal.js';

const event = (type: 'new' | 'update' | 'end', id: string) => ({
  kind: 'events' as const,
  topic: 'p/events',
  payload: JSON.stringify({ type, before: { id }, after: { id } }),
  qos: 1 as const,
  retain: false,
});
const other = (kind: MessageKind, n: number, retain = false) => ({
  kind,
  topic: `p/${kind}/${retain ? 'same' : n}`,
  payload: String(n),
  qos: 1 as const,
  retain,
});
const label = (m: QueuedMessage): string => {
  if (m.kind !== 'events') return `${m.kind}:${m.payload}`;
  const { type, after } = JSON.parse(m.payload.toString());
  return `${type}:${after.id}`;
};

describe('offline queue overflow by value (injected clock)', () => {
  it('drops detections, stats and retained state first, then updates, and keeps every new/end in order', () => {
    let now = 0;
    const dropped: string[] = [];
    const queue = new OfflineQueue(
      { maxMessages: 6, maxAgeMs: 60_000 },
      () => now,
      (reason, m) => dropped.push(`${reason} ${label(m)}`),
    );
    const pushes = [
      event('new', 'a'),
      other('detections', 1),
      event('update', 'a'),
      other('stats', 2),
      other('counts', 3, true),
      event('new', 'b'),
      event('update', 'b'),
      event('update', 'a'),
      event('end', 'a'),
      event('end', 'b'),
    ];
    for (const m of pushes) {
      now += 10;
      queue.push(m);
    }
    expect(dropped).toEqual([
      'overflow detections:1',
      'overflow stats:2',
      'overflow counts:3',
      'overflow update:a',
    ]);
    expect(queue.drops).toEqual({ overflow: 4, expired: 0 });
    expect(queue.drain().map(label)).toEqual(['new:a', 'new:b', 'update:b', 'update:a', 'end:a', 'end:b']);
  });

  it('refuses a newcomer worth less than everything held rather than dropping a new/end', () => {
    const queue = new OfflineQueue({ maxMessages: 2, maxAgeMs: 60_000 }, () => 0);
    queue.push(event('new', 'a'));
    queue.push(event('end', 'a'));
    queue.push(other('detections', 1));
    queue.push(event('update', 'b'));
    expect(queue.drops.overflow).toBe(2);
    expect(queue.drain().map(label)).toEqual(['new:a', 'end:a']);
  });

  it('with only new/end held, drops the oldest whole object (its new and its end together)', () => {
    const queue = new OfflineQueue({ maxMessages: 4, maxAgeMs: 60_000 }, () => 0);
    for (const m of [event('new', 'a'), event('new', 'b'), event('end', 'b'), event('new', 'c')])
      queue.push(m);
    queue.push(event('end', 'a'));
    // b is the oldest object whose new and end are both held: both go, so no subscriber sees one without the other.
    expect(queue.drops.overflow).toBe(2);
    expect(queue.drain().map(label)).toEqual(['new:a', 'new:c', 'end:a']);
  });

  it('bounds topic and payload bytes like the count, and refuses a message larger than the whole bound', () => {
    const queue = new OfflineQueue({ maxMessages: 100, maxAgeMs: 60_000, maxBytes: 40 }, () => 0);
    // Each detections message: topic 'p/detections/N' (14 bytes) + payload (1 byte) = 15 bytes.
    for (let i = 0; i < 4; i++) queue.push(other('detections', i));
    expect(queue.bytes).toBeLessThanOrEqual(40);
    expect(queue.size).toBe(2);
    queue.push({ ...other('events', 9), payload: 'x'.repeat(41) });
    expect(queue.drops.overflow).toBe(3);
    expect(queue.drain().map(label)).toEqual(['detections:2', 'detections:3']);
    expect(queue.bytes).toBe(0);
  });

  it('expires by age in every rank', () => {
    let now = 0;
    const queue = new OfflineQueue({ maxMessages: 100, maxAgeMs: 1000 }, () => now);
    queue.push(event('new', 'a'));
    queue.push(other('detections', 1));
    now = 500;
    queue.push(event('update', 'a'));
    now = 1200;
    expect(queue.drain().map(label)).toEqual(['update:a']);
    expect(queue.drops).toEqual({ overflow: 0, expired: 2 });
  });

  it('keeps every new with its end through a long outage far larger than the queue', () => {
    let now = 0;
    const queue = new OfflineQueue({ maxMessages: 200, maxAgeMs: 3_600_000 }, () => now);
    // 500 objects, each new → 20 updates → end, with a detections message per frame between them.
    const live: string[] = [];
    for (let i = 0; i < 500; i++) {
      live.push(`o${i}`);
      queue.push(event('new', `o${i}`));
      for (const id of live) {
        now += 1;
        queue.push(other('detections', now));
        queue.push(event('update', id));
      }
      if (live.length > 3) queue.push(event('end', live.shift()!));
    }
    for (const id of live) queue.push(event('end', id));
    const delivered = queue.drain().map(label);
    const starts = delivered.filter((l) => l.startsWith('new:')).map((l) => l.slice(4));
    const ends = delivered.filter((l) => l.startsWith('end:')).map((l) => l.slice(4));
    expect(starts.length).toBeGreaterThan(0);
    expect(ends.sort()).toEqual(starts.sort());
  });
});
