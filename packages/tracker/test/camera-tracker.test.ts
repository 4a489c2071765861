import type { Detection } from '@rxvision/detector';
import { describe, expect, it } from 'vitest';
import type { TrackerKind } from '../src/camera-tracker.js';
import { CameraTracker } from '../src/camera-tracker.js';
import type { TrackEvent } from '../src/tracked-frame.js';
import { car, person } from './helpers.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('CameraTracker lifecycle', () => {
  it('goes tentative → confirmed (new) → update … → end, with increasing ids', () => {
    const tracker = new CameraTracker({ tracker: 'sort' });
    const events: TrackEvent[] = [];
    // Frames 1-3 are SORT's warm-up (reported at once); start after them to see min_hits at work.
    for (let i = 0; i < 3; i++) tracker.update([]);
    for (let i = 0; i < 6; i++) events.push(...tracker.update([person(100 + 4 * i, 200)]).events);
    for (let i = 0; i < 6; i++) events.push(...tracker.update([person(400 + 4 * i, 200)]).events);
    for (let i = 0; i < 3; i++) events.push(...tracker.update([]).events);
    const summary = events.map((e) => `${e.type}:${e.track.trackId}`);
    expect(summary.filter((s) => s.startsWith('new'))).toEqual(['new:1', 'new:2']);
    expect(summary.filter((s) => s.startsWith('end'))).toEqual(['end:1', 'end:2']);
    // min_hits 3: SORT reports once 3 detections followed the first, so new then 2 updates of 6 boxes.
    expect(summary.filter((s) => s === 'update:1')).toHaveLength(2);
    expect(events.find((e) => e.type === 'new')!.track.hits).toBe(4);
    const end = events.find((e) => e.type === 'end')!;
    expect(end.track.state).toBe('lost');
    expect(tracker.size).toBe(0);
  });

  for (const kind of ['bytetrack', 'sort'] as const) {
    it(`${kind}: a matched track carries the detector's box by default, the filter's with box: 'filter'`, () => {
      const byDetection = new CameraTracker({ tracker: kind });
      const byFilter = new CameraTracker({ tracker: kind, box: 'filter' });
      let last: Detection | undefined;
      let filterBox: readonly number[] | undefined;
      let shownFrames = 0;
      for (let i = 0; i < 8; i++) {
        // Accelerating walker with a jittering box: the filter's estimate lags it.
        last = person(100 + i * i, 200 + (i % 2) * 4);
        const shown = byDetection.update([last]).tracks;
        filterBox = byFilter.update([last]).tracks[0]?.bbox;
        if (shown[0]) {
          shownFrames++;
          expect(shown[0].bbox).toEqual(last.bbox);
        }
      }
      expect(shownFrames).toBeGreaterThan(3);
      expect(filterBox).toBeDefined();
      expect(filterBox).not.toEqual(last!.bbox);
    });
  }

  it('rejects an unknown box choice with the two it accepts', () => {
    expect(() => new CameraTracker({ box: 'kalman' as never })).toThrow(/"detection" or "filter"/);
  });

  it('never gives one id to two classes with perClass (default), and may without it', () => {
    const frames: Detection[][] = [];
    for (let i = 0; i < 10; i++) frames.push([person(200, 200)]);
    for (let i = 0; i < 10; i++) {
      const p = person(200, 200);
      frames.push([{ ...p, classId: 2, label: 'car' }]);
    }
    const ids = (perClass: boolean) => {
      const tracker = new CameraTracker({ tracker: 'sort', perClass });
      const seen = new Map<string, Set<number>>();
      for (const dets of frames) {
        for (const t of tracker.update(dets).tracks) {
          if (!seen.has(t.label)) seen.set(t.label, new Set());
          seen.get(t.label)!.add(t.trackId);
        }
      }
      return seen;
    };
    const split = ids(true);
    const shared = [...split.get('person')!].filter((id) => split.get('car')!.has(id));
    expect(shared).toEqual([]);
    const agnostic = ids(false);
    expect([...agnostic.get('person')!].filter((id) => agnostic.get('car')!.has(id))).toEqual([1]);
  });

  it('refuses an unknown tracker or a bad fps with a message saying what to use', () => {
    expect(() => new CameraTracker({ tracker: 'deepsort' as TrackerKind })).toThrow(/"bytetrack" or "sort"/);
    expect(() => new CameraTracker({ fps: 0 })).toThrow(/fps must be a positive/);
  });

  it('only tracks the labels in objects (Frigate objects.track)', () => {
    const tracker = new CameraTracker({ objects: ['car'] });
    let labels: string[] = [];
    for (let i = 0; i < 5; i++)
      labels = tracker.update([person(100, 100), car(400, 300)]).tracks.map((t) => t.label);
    expect(labels).toEqual(['car']);
  });

  it('flags a track stationary after it stays put for stationary.threshold frames', () => {
    const tracker = new CameraTracker({ tracker: 'bytetrack', stationary: { threshold: 20 } });
    const flags: boolean[] = [];
    for (let i = 0; i < 30; i++)
      flags.push(tracker.update([person(300 + (i % 2), 200)]).tracks[0]?.stationary ?? false);
    expect(flags.slice(0, 15).some(Boolean)).toBe(false);
    expect(flags.slice(25).every(Boolean)).toBe(true);
    let moving = true;
    for (let i = 0; i < 10; i++) moving = tracker.update([person(300 + 10 * i, 200)]).tracks[0]!.stationary;
    expect(moving).toBe(false);
  });

  it('re-finds a lost ByteTrack track within track_buffer scaled by the frame rate', () => {
    const run = (fps: number) => {
      const tracker = new CameraTracker({ tracker: 'bytetrack', fps });
      for (let i = 0; i < 10; i++) tracker.update([person(200, 200)]);
      for (let i = 0; i < 45; i++) tracker.update([]);
      let ids: number[] = [];
      for (let i = 0; i < 3; i++) ids = tracker.update([person(200, 200)]).tracks.map((t) => t.trackId);
      return ids;
    };
    // 45 frames: past 30 frames of buffer at 30 fps, inside 60 at 60 fps.
    expect(run(60)).toEqual([1]);
    expect(run(30)).toEqual([2]);
  });
});

describe('bounded state', () => {
  for (const kind of ['bytetrack', 'sort'] as TrackerKind[]) {
    it(`${kind}: 100,000 frames of people coming and going keep the track map bounded`, () => {
      const random = rng(7);
      const tracker = new CameraTracker({
        tracker: kind,
        zones: { left: { coordinates: '0,0,320,0,320,480,0,480' } },
        lines: { middle: { coordinates: '320,0,320,480' } },
      });
      // Five lanes; a walker crosses in 80 frames, then a new one starts. Plus short-lived clutter.
      const start = [0, 16, 32, 48, 64];
      let maxSize = 0;
      let maxBook = 0;
      let lastId = 0;
      let ends = 0;
      for (let f = 0; f < 100_000; f++) {
        const dets: Detection[] = start.map((s, lane) => {
          const t = (f + s) % 80;
          return person(20 + t * 8, 60 + lane * 90);
        });
        if (random() < 0.05) dets.push(person(random() * 600, random() * 400, 0.7));
        const out = tracker.update(dets);
        for (const e of out.events) {
          if (e.type === 'new') {
            if (e.track.trackId <= lastId) throw new Error(`id ${e.track.trackId} after ${lastId}`);
            lastId = e.track.trackId;
          } else if (e.type === 'end') ends++;
        }
        maxSize = Math.max(maxSize, tracker.size);
        maxBook = Math.max(maxBook, tracker.bookkeepingSize);
      }
      expect(ends).toBeGreaterThan(5_000);
      expect(maxSize).toBeLessThan(60);
      expect(maxBook).toBeLessThan(60);
      expect(tracker.bookkeepingSize).toBe(tracker.size);
      // Walkers go left to right across the middle line: from its right-hand side (+) to its left.
      const counts = tracker.lineCounts().middle!;
      expect(counts.out).toBeGreaterThan(5_000);
      expect(counts.in).toBe(0);
    });
  }
});
