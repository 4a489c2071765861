import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { areasInPixels, withAreasInPixels } from '../src/agent/areas-in-pixels.js';
import { parseConfigText } from '../src/config/load.js';

const CAMERA = 'detectors: { d: { model: m.onnx } }\ncameras:\n  door:\n    url: a.mp4\n';

function areasOf(zones: string, lines = '{}') {
  const door = parseConfigText(`${CAMERA}    zones: ${zones}\n    lines: ${lines}\n`).cameras.door;
  if (!door) throw new Error('expected camera door');
  return { zones: door.zones, lines: door.lines };
}

describe('relative (Frigate 0.14+) zone and line coordinates', () => {
  it('reads coordinates whose values are all ≤ 1 as fractions of the frame, in the comma string and the list form', () => {
    const areas = areasOf(
      '{ porch: { coordinates: "0.1,0.5,0.9,0.5,0.9,1,0.1,1" }, whole: { coordinates: [[0, 0], [1, 0], [1, 1]] } }',
      '{ gate: { coordinates: "0.5,0,0.5,1" } }',
    );
    expect(areas.zones.map((z) => [z.name, z.relative])).toEqual([
      ['porch', true],
      ['whole', true],
    ]);
    expect(areas.lines[0]?.relative).toBe(true);
    // Frigate's list of "x,y" strings reads the same as its comma string.
    const listed = areasOf('{ porch: { coordinates: ["0.1,0.5", "0.9,0.5", "0.9,1", "0.1,1"] } }').zones[0];
    expect(listed?.coordinates).toEqual(areas.zones[0]?.coordinates);
    expect(listed?.relative).toBe(true);
    // One value above 1 and the area is in pixels, as before.
    expect(areasOf('{ px: { coordinates: "0,0,1,0,1,2" } }').zones[0]?.relative).toBe(false);
  });

  it('scales relative areas to the frame size and leaves pixel areas as they are', () => {
    const areas = areasOf(
      '{ porch: { coordinates: "0.1,0.5,0.9,0.5,0.9,1" }, px: { coordinates: "0,0,100,0,100,50" } }',
      '{ gate: { coordinates: "0.5,0,0.5,1" } }',
    );
    const inPixels = areasInPixels(areas, 640, 480);
    expect(inPixels.zones[0]).toMatchObject({
      name: 'porch',
      relative: false,
      coordinates: [
        [64, 240],
        [576, 240],
        [576, 480],
      ],
    });
    expect(inPixels.zones[1]).toBe(areas.zones[1]);
    expect(inPixels.lines[0]?.coordinates).toEqual([
      [320, 0],
      [320, 480],
    ]);
  });

  it('builds the downstream pipeline at the first frame, with the areas scaled to its size, and passes every frame on', () => {
    const areas = areasOf('{ porch: { coordinates: "0,0,0.5,0,0.5,0.5" } }');
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let builds = 0;
    scheduler.run(({ cold, expectObservable }) => {
      const frame = { width: 200, height: 100 };
      const frames$ = cold('a-b-c|', { a: frame, b: frame, c: frame });
      const out$ = frames$.pipe(
        withAreasInPixels(areas, (scaled) => {
          builds++;
          const corner = scaled.zones[0]?.coordinates[1];
          return map(() => corner?.join(','));
        }),
      );
      expectObservable(out$).toBe('a-b-c|', { a: '100,0', b: '100,0', c: '100,0' });
    });
    expect(builds).toBe(1);
  });

  it('completes without building anything when the source ends before a frame', () => {
    const areas = areasOf('{ porch: { coordinates: "0,0,0.5,0,0.5,0.5" } }');
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let builds = 0;
    scheduler.run(({ cold, expectObservable }) => {
      const frames$ = cold<{ width: number; height: number }>('--|');
      const out$ = frames$.pipe(
        withAreasInPixels(areas, () => {
          builds++;
          return map(() => 'x');
        }),
      );
      expectObservable(out$).toBe('--|');
    });
    expect(builds).toBe(0);
  });
});
