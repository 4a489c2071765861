import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../src/bytetrack.js';
import { SortTracker } from '../src/sort.js';
import { person } from './helpers.js';

describe('ByteTracker', () => {
  it('keeps a track alive on low-score boxes (second association) but never starts one from them', () => {
    const tracker = new ByteTracker();
    for (let i = 0; i < 5; i++) tracker.update([person(100 + 5 * i, 200, 0.9)]);
    // Occluded: the same person now scores 0.3; a stray 0.3 box appears elsewhere.
    let step = tracker.update([person(125, 200, 0.3), person(500, 300, 0.3)]);
    for (let i = 1; i < 5; i++) step = tracker.update([person(125 + 5 * i, 200, 0.3), person(500, 300, 0.3)]);
    const reported = step.tracks.filter((t) => t.reported);
    expect(reported.map((t) => t.id)).toEqual([1]);
    expect(reported[0]!.score).toBe(0.3);
    expect(step.tracks).toHaveLength(1);
  });

  it('needs a second hit to activate a track after the first frame, and drops a one-hit track at once', () => {
    const tracker = new ByteTracker();
    tracker.update([]);
    const first = tracker.update([person(100, 100)]);
    expect(first.tracks.map((t) => [t.state, t.reported])).toEqual([['tentative', false]]);
    const second = tracker.update([person(102, 100)]);
    expect(second.tracks.map((t) => [t.state, t.reported])).toEqual([['confirmed', true]]);
    const other = new ByteTracker();
    other.update([]);
    other.update([person(100, 100)]);
    const gone = other.update([]);
    expect(gone.tracks).toEqual([]);
    expect(gone.removed.map((t) => t.id)).toEqual([1]);
  });

  it('marks an unmatched track lost, predicts it on, and removes it after the buffer', () => {
    const tracker = new ByteTracker({ trackBuffer: 30, frameRate: 10 }); // 10 frames of buffer
    for (let i = 0; i < 5; i++) tracker.update([person(100 + 5 * i, 200)]);
    const lost = tracker.update([]);
    expect(lost.tracks.map((t) => t.state)).toEqual(['lost']);
    let removedAt = -1;
    for (let i = 0; i < 20 && removedAt < 0; i++) if (tracker.update([]).removed.length > 0) removedAt = i;
    expect(removedAt).toBe(9);
    expect(tracker.size).toBe(0);
  });
});

describe('SortTracker', () => {
  it('removes a track after max_age frames without a detection and gives the next one a new id', () => {
    const tracker = new SortTracker({ maxAge: 1 });
    for (let i = 0; i < 5; i++) tracker.update([person(100, 100)]);
    expect(tracker.update([]).removed).toEqual([]);
    expect(tracker.update([]).removed.map((t) => t.id)).toEqual([1]);
    const next = tracker.update([person(100, 100)]);
    expect(next.tracks.map((t) => t.id)).toEqual([2]);
  });

  it('does not match a detection below the IoU threshold', () => {
    const tracker = new SortTracker({ iouThreshold: 0.3 });
    tracker.update([person(100, 100, 0.9, 40, 100)]);
    // 30 px right of a 40 px wide box: IoU = 10/70 ≈ 0.14.
    const step = tracker.update([person(130, 100, 0.9, 40, 100)]);
    expect(step.tracks.map((t) => t.id).sort()).toEqual([1, 2]);
  });
});
