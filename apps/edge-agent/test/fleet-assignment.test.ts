import { map, scan } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type Assignment, assignCameras, type DesiredCamera, type LiveBox } from '../src/fleet/assignment.js';

const boxes = (n: number, capacity = 100, site = 'default'): LiveBox[] =>
  Array.from({ length: n }, (_, i) => ({ id: `box-${String(i).padStart(2, '0')}`, site, capacity }));
const cameras = (n: number, cost = 1, site?: string): DesiredCamera[] =>
  Array.from({ length: n }, (_, i) => ({ id: `cam-${site ?? 'any'}-${i}`, cost, ...(site ? { site } : {}) }));
const countPer = (a: Assignment) => {
  const counts = new Map<string, number>();
  for (const box of Object.values(a)) counts.set(box, (counts.get(box) ?? 0) + 1);
  return counts;
};
const moved = (a: Assignment, b: Assignment) =>
  Object.keys(b).filter((id) => a[id] !== undefined && a[id] !== b[id]);

describe('assignCameras (weighted rendezvous with hysteresis)', () => {
  it('places 1,000 cameras on 50 boxes within the imbalance threshold, the same way every time', () => {
    const input = { cameras: cameras(1000), boxes: boxes(50), previous: {}, imbalance: 0.25 };
    const a = assignCameras(input);
    expect(Object.keys(a)).toHaveLength(1000);
    for (const count of countPer(a).values()) expect(count).toBeLessThanOrEqual(25); // mean 20 × 1.25
    expect(assignCameras({ ...input, cameras: [...input.cameras].reverse() })).toEqual(a);
  });

  it('shares cameras in proportion to capacity', () => {
    const fleet = [...boxes(5, 100), ...boxes(5, 300).map((b) => ({ ...b, id: `big-${b.id}` }))];
    const a = assignCameras({ cameras: cameras(400), boxes: fleet, previous: {}, imbalance: 0.1 });
    const counts = countPer(a);
    const small = boxes(5).map((b) => counts.get(b.id) ?? 0);
    const big = boxes(5).map((b) => counts.get(`big-${b.id}`) ?? 0);
    // 400 cameras over 2,000 images/s: 20 per small box, 60 per big box, each within 10 %.
    for (const n of small) expect(n).toBeLessThanOrEqual(22);
    for (const n of big) expect(n).toBeLessThanOrEqual(66);
    expect(big.reduce((x, y) => x + y) / small.reduce((x, y) => x + y)).toBeGreaterThan(2.5);
  });

  it('weighs cameras by their cost (fps) against the capacity (images/s)', () => {
    const heavy = cameras(2, 15).map((c) => ({ ...c, id: `heavy-${c.id}` }));
    const light = cameras(6, 5);
    const a = assignCameras({
      cameras: [...heavy, ...light],
      boxes: boxes(2, 30),
      previous: {},
      imbalance: 0.25,
    });
    const load = new Map<string, number>();
    for (const c of [...heavy, ...light]) load.set(a[c.id] ?? '', (load.get(a[c.id] ?? '') ?? 0) + c.cost);
    for (const l of load.values()) expect(l).toBeLessThanOrEqual(37.5); // mean 30 × 1.25
  });

  it('keeps a camera with a site on boxes of that site, and leaves it unplaced when the site has no box', () => {
    const fleet = [...boxes(3, 100, 'hq'), ...boxes(3, 100, 'depot').map((b) => ({ ...b, id: `d-${b.id}` }))];
    const wanted = [
      ...cameras(30, 1, 'hq'),
      ...cameras(30, 1, 'depot'),
      ...cameras(2, 1, 'moon'),
      ...cameras(12),
    ];
    const a = assignCameras({ cameras: wanted, boxes: fleet, previous: {}, imbalance: 0.25 });
    for (const c of wanted.filter((c) => c.site === 'hq')) expect(a[c.id]).toMatch(/^box-/);
    for (const c of wanted.filter((c) => c.site === 'depot')) expect(a[c.id]).toMatch(/^d-box-/);
    for (const c of wanted.filter((c) => c.site === 'moon')) expect(a[c.id]).toBeUndefined();
    for (const c of wanted.filter((c) => c.site === undefined)) expect(a[c.id]).toBeDefined();
  });

  it("moves only a dead box's cameras, and at most the imbalance's worth when it returns", () => {
    const fleet = boxes(50);
    const first = assignCameras({ cameras: cameras(1000), boxes: fleet, previous: {}, imbalance: 0.25 });
    const dead = 'box-17';
    const survivors = fleet.filter((b) => b.id !== dead);
    const after = assignCameras({
      cameras: cameras(1000),
      boxes: survivors,
      previous: first,
      imbalance: 0.25,
    });
    const orphans = Object.keys(first).filter((id) => first[id] === dead);
    expect(moved(first, after).sort()).toEqual(orphans.sort());
    const back = assignCameras({ cameras: cameras(1000), boxes: fleet, previous: after, imbalance: 0.25 });
    // It comes back empty; cameras move to it only from boxes above 1.25 × the mean of 20.
    expect(moved(after, back).every((id) => back[id] === dead)).toBe(true);
    expect(moved(after, back).length).toBeLessThanOrEqual(orphans.length);
    expect(assignCameras({ cameras: cameras(1000), boxes: fleet, previous: back, imbalance: 0.25 })).toEqual(
      back,
    );
  });

  it('is stable under no change and places a new camera without moving others', () => {
    const first = assignCameras({ cameras: cameras(60), boxes: boxes(6), previous: {}, imbalance: 0.25 });
    expect(
      assignCameras({ cameras: cameras(60), boxes: boxes(6), previous: first, imbalance: 0.25 }),
    ).toEqual(first);
    const more = assignCameras({ cameras: cameras(61), boxes: boxes(6), previous: first, imbalance: 0.25 });
    expect(moved(first, more)).toEqual([]);
    expect(more['cam-any-60']).toBeDefined();
  });
});

describe('assignment over time (virtual time: boxes join and die on a timeline)', () => {
  it('counts the cameras moved at each change of the live boxes, 50 boxes and 1,000 cameras', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const all = boxes(50);
    const fleets: Record<string, LiveBox[]> = {
      a: all, // everyone up
      b: all.filter((b) => b.id !== 'box-03'), // box-03 dies
      c: all.filter((b) => b.id !== 'box-03' && b.id !== 'box-40'), // box-40 dies too
      d: all.filter((b) => b.id !== 'box-40'), // box-03 is back
    };
    scheduler.run(({ cold, expectObservable }) => {
      const timeline = cold('a 10s b 10s c 10s d 10s d', fleets);
      const steps = timeline.pipe(
        scan(
          (state, live) => {
            const next = assignCameras({
              cameras: cameras(1000),
              boxes: live,
              previous: state.assignment,
              imbalance: 0.25,
            });
            const dead = Object.values(state.assignment).filter((box) => !live.some((b) => b.id === box));
            const moves = moved(state.assignment, next);
            return {
              assignment: next,
              moves: moves.length,
              onlyOrphans: moves.every((id) => dead.includes(state.assignment[id] ?? '')),
            };
          },
          { assignment: {} as Assignment, moves: 0, onlyOrphans: true },
        ),
        map(({ moves, onlyOrphans }) =>
          moves === 0 ? 'none' : onlyOrphans ? 'orphans' : moves <= 25 ? 'bounded' : `too many: ${moves}`,
        ),
      );
      // A death moves only the dead box's cameras; a return moves at most one box's share; a
      // repeated snapshot moves nothing.
      expectObservable(steps).toBe('a 10s b 10s c 10s d 10s e', {
        a: 'none',
        b: 'orphans',
        c: 'orphans',
        d: 'bounded',
        e: 'none',
      });
    });
  });
});
