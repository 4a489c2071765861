import type { Detection } from '@rxvision/detector';
import { describe, expect, it } from 'vitest';
import type { TrackerOptions } from '../src/camera-tracker.js';
import { CameraTracker } from '../src/camera-tracker.js';
import { bottomCentre } from '../src/internal.js';
import { Line, LineSide } from '../src/lines.js';
import type { Track, TrackEvent } from '../src/tracked-frame.js';
import { pointInPolygon, ZonePresence } from '../src/zones.js';
import { car, person } from './helpers.js';

/** Runs frames through a tracker and collects everything it said. */
function run(options: TrackerOptions, frames: Detection[][]) {
  const tracker = new CameraTracker({ tracker: 'sort', ...options });
  const events: TrackEvent[] = [];
  const tracks: Track[][] = [];
  const occupancy = [];
  for (const dets of frames) {
    const out = tracker.update(dets);
    events.push(...out.events);
    tracks.push([...out.tracks]);
    occupancy.push(out.zoneOccupancy);
  }
  return { events, tracks, occupancy, counts: tracker.lineCounts() };
}

const kinds = (events: TrackEvent[]) =>
  events
    .filter((e) => e.type !== 'update' && e.type !== 'new')
    .map((e) => {
      if (e.type === 'line-cross') return `${e.type}:${e.line}:${e.direction}`;
      if (e.type === 'zone-enter' || e.type === 'zone-exit') return `${e.type}:${e.zone}`;
      return e.type;
    });

describe('zones', () => {
  const porch = { coordinates: '300,0,640,0,640,480,300,480' };

  it('enters once after `inertia` frames with the anchor (bottom centre) inside, and exits when the track ends', () => {
    // Walks right 10 px a frame from x=100 to x=500, then vanishes.
    const frames = Array.from({ length: 41 }, (_, i) => [person(100 + 10 * i, 200)]);
    frames.push([], [], []);
    const { events, tracks, occupancy } = run({ zones: { porch } }, frames);
    expect(kinds(events)).toEqual(['zone-enter:porch', 'zone-exit:porch', 'end']);
    const enter = events.find((e) => e.type === 'zone-enter')!;
    // The anchor crosses x=300 at frame 20; with inertia 3 the enter lands on the third frame inside.
    const frameOfEnter = tracks.findIndex((ts) => ts.some((t) => t.currentZones.includes('porch')));
    expect(bottomCentre(enter.track.bbox)[0]).toBeGreaterThan(300);
    expect(frameOfEnter).toBeGreaterThanOrEqual(22);
    expect(frameOfEnter).toBeLessThanOrEqual(23);
    expect(tracks[40]![0]!.enteredZones).toEqual(['porch']);
    expect(occupancy[40]).toEqual({ porch: { count: 1, objects: { person: 1 } } });
    expect(occupancy.at(-1)).toEqual({ porch: { count: 0, objects: {} } });
  });

  it('ignores a box flickering on the zone edge (inertia)', () => {
    // The anchor alternates 8 px either side of x=300 every frame for 60 frames.
    const frames = Array.from({ length: 60 }, (_, i) => [person(i % 2 === 0 ? 292 : 308, 200, 0.9, 80, 160)]);
    const { events, tracks } = run({ zones: { porch } }, frames);
    // Precondition: the reported box really does flicker across the edge.
    const sides = tracks.flat().map((t) => bottomCentre(t.bbox)[0] > 300);
    expect(sides.filter((s, i) => i > 0 && s !== sides[i - 1]).length).toBeGreaterThan(20);
    expect(kinds(events)).toEqual([]);
  });

  it('only counts the labels in the zone objects list (Frigate zones.<name>.objects)', () => {
    const frames = Array.from({ length: 10 }, () => [person(400, 200), car(450, 400)]);
    const { events, occupancy } = run({ zones: { porch: { ...porch, objects: ['car'] } } }, frames);
    expect(kinds(events)).toEqual(['zone-enter:porch']);
    expect(occupancy.at(-1)).toEqual({ porch: { count: 1, objects: { car: 1 } } });
  });

  it('tests points with even-odd ray casting and debounces presence', () => {
    const square = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ] as const;
    expect(pointInPolygon([5, 5], square)).toBe(true);
    expect(pointInPolygon([15, 5], square)).toBe(false);
    const p = new ZonePresence();
    expect([
      p.observe(true, 2, 1),
      p.observe(false, 2, 2),
      p.observe(true, 2, 3),
      p.observe(true, 2, 4),
    ]).toEqual([undefined, undefined, undefined, 'enter']);
  });

  it('measures dwell per zone from capture times and flags loitering once a stay reaches loiteringTime', () => {
    // 10 fps: the anchor is inside from frame 0; enter lands on the third frame (inertia 3).
    const tracker = new CameraTracker({ tracker: 'sort', zones: { porch: { ...porch, loiteringTime: 2 } } });
    const at = (i: number) => 1_000_000 + i * 100;
    const seen = [];
    for (let i = 0; i < 40; i++) seen.push(tracker.update([person(400 + (i % 2), 200)], at(i)).tracks[0]);
    const enteredAt = seen.findIndex((t) => t?.currentZones.includes('porch'));
    expect(enteredAt).toBeGreaterThan(0);
    const last = seen.at(-1)!;
    expect(last.zoneDwellMs.porch).toBe(at(39) - at(enteredAt));
    // Loitering starts exactly loiteringTime (2 s = 20 frames) after the enter.
    const loitering = seen.findIndex((t) => t?.loiteringZones.includes('porch'));
    expect(loitering - enteredAt).toBe(20);
    // Walking out ends the stay: the dwell keeps its total, loitering stops.
    let out: Track | undefined;
    for (let i = 40; i < 52; i++) out = tracker.update([person(400 - 15 * (i - 39), 200)], at(i)).tracks[0];
    expect(out?.currentZones).toEqual([]);
    expect(out?.loiteringZones).toEqual([]);
    expect(out?.zoneDwellMs.porch).toBeGreaterThan(at(39) - at(enteredAt));
    expect(out?.zoneDwellMs.porch).toBeLessThan(at(51) - at(enteredAt));
  });

  it('ends the dwell of a track that vanishes inside a zone where it was last seen', () => {
    const tracker = new CameraTracker({ tracker: 'bytetrack', zones: { porch } });
    const at = (i: number) => 2_000_000 + i * 100;
    const events: TrackEvent[] = [];
    let entered = -1;
    for (let i = 0; i < 20; i++) {
      const out = tracker.update([person(400, 200)], at(i));
      if (entered < 0 && out.tracks[0]?.currentZones.includes('porch')) entered = i;
      events.push(...out.events);
    }
    // ByteTrack keeps the lost track for its buffer (30 frames) before it ends.
    for (let i = 20; i < 60; i++) events.push(...tracker.update([], at(i)).events);
    const end = events.find((e) => e.type === 'end');
    expect(end?.at).toBeGreaterThan(at(40));
    expect(end?.track.zoneDwellMs).toEqual({ porch: at(19) - at(entered) });
  });

  it('has no loitering without loiteringTime, and refuses a negative one naming the zone', () => {
    const frames = Array.from({ length: 30 }, () => [person(400, 200)]);
    expect(run({ zones: { porch } }, frames).tracks.at(-1)![0]!.loiteringZones).toEqual([]);
    expect(() => new CameraTracker({ zones: { porch: { ...porch, loiteringTime: -1 } } })).toThrow(
      /zone "porch": loiteringTime/,
    );
  });

  it('names the zone in a configuration error', () => {
    expect(() => new CameraTracker({ zones: { porch: { coordinates: '1,2,3' } } })).toThrow(/zone "porch"/);
  });
});

describe('lines', () => {
  // A horizontal tripwire at y=300 drawn left to right: walking down the image crosses it "in".
  const door = { coordinates: '0,300,640,300' };

  it('counts one walker going down as one "in" and one coming back up as one "out"', () => {
    const down = Array.from({ length: 30 }, (_, i) => [person(200, 100 + 10 * i)]);
    const up = Array.from({ length: 30 }, (_, i) => [person(200, 390 - 10 * i)]);
    const { events, counts } = run({ lines: { door } }, [...down, ...up]);
    expect(kinds(events)).toEqual(['line-cross:door:in', 'line-cross:door:out']);
    expect(counts).toEqual({ door: { in: 1, out: 1, objects: { person: { in: 1, out: 1 } } } });
  });

  it('counts a box that crosses once and then jitters on the line exactly once', () => {
    const frames: Detection[][] = [];
    // Anchor (cy + 50) walks from y=200 to y=290, jitters ±20 px around y=300 for 60 frames, then walks on to y=420.
    for (let y = 200; y < 290; y += 10) frames.push([person(200, y - 50)]);
    const jitter = [20, 20, -20, 20, -20, -20, 20, -20];
    for (let i = 0; i < 60; i++) frames.push([person(200, 300 + jitter[i % jitter.length]! - 50)]);
    for (let y = 330; y <= 420; y += 10) frames.push([person(200, y - 50)]);
    const { events, tracks, counts } = run({ lines: { door } }, frames);
    // Precondition: the reported box's anchor really crosses the line many times.
    const sides = tracks.flat().map((t) => t.bbox[3] > 300);
    expect(sides.filter((s, i) => i > 0 && s !== sides[i - 1]).length).toBeGreaterThan(20);
    expect(kinds(events)).toEqual(['line-cross:door:in']);
    expect(counts).toEqual({ door: { in: 1, out: 0, objects: { person: { in: 1, out: 0 } } } });
  });

  it('counts per label, and counts on from the totals it was given (a restart)', () => {
    const down = (x: number, make: typeof person) =>
      Array.from({ length: 30 }, (_, i) => make(x, 100 + 10 * i));
    const frames = down(100, person).map((p, i) => [p, car(450, 70 + 10 * i)]);
    const saved = {
      door: { in: 5, out: 2, objects: { person: { in: 5, out: 2 } } },
      gone: { in: 9, out: 9, objects: {} },
    };
    const { events, counts } = run({ lines: { door }, lineTotals: saved }, frames);
    const crossings = events.filter((e) => e.type === 'line-cross');
    expect(crossings.map((e) => `${e.track.label}:${e.direction}`).sort()).toEqual(['car:in', 'person:in']);
    expect(counts).toEqual({
      door: { in: 7, out: 2, objects: { person: { in: 6, out: 2 }, car: { in: 1, out: 0 } } },
    });
  });

  it('does not count walking round the end of a segment', () => {
    const short = { coordinates: '0,300,100,300' };
    const frames = Array.from({ length: 30 }, (_, i) => [person(300, 100 + 10 * i)]);
    expect(run({ lines: { short } }, frames).counts).toEqual({ short: { in: 0, out: 0, objects: {} } });
  });

  it('settles a side only after inertia frames and ignores the dead band', () => {
    const line = new Line('l', { coordinates: '0,100,100,100', inertia: 2, deadband: 0.1 });
    const box = [40, 0, 60, 100] as const; // height 100: dead band ±10 px
    expect(line.sideOf([50, 95], box)).toBeUndefined();
    expect(line.sideOf([50, 120], box)).toBe(1);
    expect(line.sideOf([150, 120], box)).toBe(0);
    const side = new LineSide();
    const seq = [-1, -1, 1, -1, 1, 1] as const;
    expect(seq.map((s) => side.observe(s, 2))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'in',
    ]);
  });
});
