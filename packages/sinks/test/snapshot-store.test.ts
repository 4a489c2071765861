import { describe, expect, it } from 'vitest';
import { eventId, frigateObject } from '../src/mqtt/frigate-object.js';
import { SnapshotStore } from '../src/mqtt/snapshot-store.js';
import { makeTrack } from './fixtures.js';

const objectOf = (trackId: number, camera = 'door') => {
  const track = makeTrack(trackId, 1_700_000_000_000 + trackId);
  return frigateObject(track, {
    camera,
    id: eventId('run001', track),
    endedAt: null,
    hasSnapshot: false,
    falsePositive: false,
    frame: { width: 640, height: 480 },
  });
};
const jpeg = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill);

describe('SnapshotStore: the bounded event and best-snapshot store behind /api/events', () => {
  it('keeps the highest-scoring snapshot of a track, whatever order the encodes finish in', () => {
    const store = new SnapshotStore();
    const object = objectOf(1);
    store.event('new', object);
    store.snapshot(object.id, jpeg(10, 1), 0.6);
    store.snapshot(object.id, jpeg(20, 2), 0.9);
    store.snapshot(object.id, jpeg(30, 3), 0.7);
    expect(store.get(object.id)?.snapshot).toEqual({ jpeg: jpeg(20, 2), score: 0.9 });
    expect(store.bytes).toBe(20);
  });

  it('keeps a thumbnail beside its snapshot, counted in bytes, and drops it with a better snapshot', () => {
    const store = new SnapshotStore();
    const object = objectOf(1);
    store.event('new', object);
    const first = jpeg(30, 1);
    store.snapshot(object.id, first, 0.5);
    store.thumbnail(object.id, first, jpeg(5));
    expect(store.get(object.id)?.snapshot?.thumbnail?.length).toBe(5);
    expect(store.bytes).toBe(35);
    store.snapshot(object.id, jpeg(20, 2), 0.8);
    expect(store.get(object.id)?.snapshot?.thumbnail).toBeUndefined();
    // A thumbnail made from the replaced snapshot arrives late: not kept.
    store.thumbnail(object.id, first, jpeg(5));
    expect(store.get(object.id)?.snapshot?.thumbnail).toBeUndefined();
    expect(store.bytes).toBe(20);
  });

  it('updates an event in place and lists the newest first', () => {
    const store = new SnapshotStore();
    const [a, b] = [objectOf(1), objectOf(2)];
    store.event('new', a);
    store.event('new', b);
    const ended = { ...a, end_time: 1_700_000_100 };
    store.event('end', ended);
    expect(store.list().map((e) => e.object.id)).toEqual([b.id, a.id]);
    expect(store.get(a.id)?.object.end_time).toBe(1_700_000_100);
  });

  it('forgets the oldest events beyond maxEvents and the oldest snapshots beyond maxBytes', () => {
    const store = new SnapshotStore({ maxEvents: 3, maxBytes: 100 });
    const objects = [1, 2, 3, 4].map((id) => objectOf(id));
    for (const object of objects) {
      store.event('new', object);
      store.snapshot(object.id, jpeg(40), 0.5);
    }
    expect(store.size).toBe(3);
    expect(store.get(objects[0]!.id)).toBeUndefined();
    // 3 × 40 bytes > 100: the oldest kept event loses its snapshot, the event itself stays listed.
    expect(store.get(objects[1]!.id)?.snapshot).toBeUndefined();
    expect(store.get(objects[1]!.id)?.object).toEqual(objects[1]);
    expect(store.get(objects[3]!.id)?.snapshot?.jpeg.length).toBe(40);
    expect(store.bytes).toBe(80);
  });

  it('ignores a snapshot for an event it does not hold, or one larger than its whole byte bound', () => {
    const store = new SnapshotStore({ maxBytes: 10 });
    const object = objectOf(1);
    store.snapshot(object.id, jpeg(5), 0.5);
    expect(store.size).toBe(0);
    store.event('new', object);
    store.snapshot(object.id, jpeg(11), 0.5);
    expect(store.get(object.id)?.snapshot).toBeUndefined();
    expect(store.bytes).toBe(0);
  });

  it('forgets a removed camera', () => {
    const store = new SnapshotStore();
    store.event('new', objectOf(1, 'door'));
    store.event('new', objectOf(2, 'yard'));
    store.forgetCamera('door');
    expect(store.list().map((e) => e.object.camera)).toEqual(['yard']);
  });
});
