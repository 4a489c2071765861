import { rendezvousScore } from './rendezvous.js';

/** A camera the fleet should run somewhere: its id, its site (absent: any site) and its cost in images/s. */
export interface DesiredCamera {
  readonly id: string;
  readonly site?: string;
  readonly cost: number;
}

/** A live box: its id, site and capacity in images/s. */
export interface LiveBox {
  readonly id: string;
  readonly site: string;
  readonly capacity: number;
}

export interface AssignmentInput {
  readonly cameras: readonly DesiredCamera[];
  readonly boxes: readonly LiveBox[];
  /** camera id → box id, as last written. */
  readonly previous: Readonly<Record<string, string>>;
  /** A box may run this fraction above its site's mean utilisation before cameras move off it. */
  readonly imbalance: number;
}

/** camera id → box id; cameras with no eligible live box are absent. */
export type Assignment = Record<string, string>;

/**
 * Assigns each camera to a live box of its site, weighted by capacity and stable: a camera stays
 * where it runs unless its box is gone or over its share by more than `imbalance`; a camera that
 * must be placed goes to the box with the highest weighted rendezvous score that has room.
 */
export function assignCameras(input: AssignmentInput): Assignment {
  const boxes = [...input.boxes].filter((b) => b.capacity > 0).sort((a, b) => cmp(a.id, b.id));
  const cameras = [...input.cameras].sort((a, b) => cmp(a.id, b.id));
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const limit = utilisationLimits(cameras, boxes, input.imbalance);
  const load = new Map(boxes.map((b) => [b.id, 0]));
  const result: Assignment = {};
  const place = (camera: DesiredCamera, boxId: string) => {
    result[camera.id] = boxId;
    load.set(boxId, (load.get(boxId) ?? 0) + camera.cost);
  };
  const orphans: DesiredCamera[] = [];
  for (const camera of cameras) {
    const current = byId.get(input.previous[camera.id] ?? '');
    if (current && eligible(camera, current)) place(camera, current.id);
    else orphans.push(camera);
  }
  for (const camera of orphans) {
    const box = bestBox(camera, boxes, load, limit);
    if (box) place(camera, box.id);
  }
  rebalance(cameras, boxes, result, load, limit);
  return result;
}

function rebalance(
  cameras: readonly DesiredCamera[],
  boxes: readonly LiveBox[],
  result: Assignment,
  load: Map<string, number>,
  limit: ReadonlyMap<string, number>,
): void {
  const over = (b: LiveBox) => (load.get(b.id) ?? 0) / b.capacity - (limit.get(b.id) ?? Infinity);
  // Each pass moves one camera off the most overloaded box; bounded so a pathological input ends.
  for (let pass = 0; pass < cameras.length; pass++) {
    const worst = boxes.filter((b) => over(b) > 1e-9).sort((a, b) => over(b) - over(a) || cmp(a.id, b.id))[0];
    if (!worst) return;
    let moved = false;
    for (const camera of cameras.filter((c) => result[c.id] === worst.id)) {
      const others = boxes.filter((b) => b.id !== worst.id);
      const target = bestBox(camera, others, load, limit, true);
      if (!target) continue;
      load.set(worst.id, (load.get(worst.id) ?? 0) - camera.cost);
      load.set(target.id, (load.get(target.id) ?? 0) + camera.cost);
      result[camera.id] = target.id;
      moved = true;
      break;
    }
    if (!moved) return;
  }
}

/** The eligible box with room and the highest score; without room anywhere, the least utilised (unless `roomOnly`). */
function bestBox(
  camera: DesiredCamera,
  boxes: readonly LiveBox[],
  load: ReadonlyMap<string, number>,
  limit: ReadonlyMap<string, number>,
  roomOnly = false,
): LiveBox | undefined {
  const candidates = boxes.filter((b) => eligible(camera, b));
  const after = (b: LiveBox) => ((load.get(b.id) ?? 0) + camera.cost) / b.capacity;
  const roomy = candidates.filter((b) => after(b) <= (limit.get(b.id) ?? Infinity) + 1e-9);
  if (roomy.length > 0) {
    return roomy.reduce((best, b) =>
      rendezvousScore(camera.id, b.id, b.capacity) > rendezvousScore(camera.id, best.id, best.capacity)
        ? b
        : best,
    );
  }
  if (roomOnly) return undefined;
  return candidates.sort((a, b) => after(a) - after(b) || cmp(a.id, b.id))[0];
}

/**
 * Per box, the utilisation (images/s per image/s of capacity) it may reach: its site's mean, with
 * cameras of no site spread over every box by capacity, times `1 + imbalance`.
 */
function utilisationLimits(
  cameras: readonly DesiredCamera[],
  boxes: readonly LiveBox[],
  imbalance: number,
): Map<string, number> {
  const totalCapacity = sum(boxes.map((b) => b.capacity));
  const anySiteCost = sum(cameras.filter((c) => c.site === undefined).map((c) => c.cost));
  const limits = new Map<string, number>();
  for (const box of boxes) {
    const siteCapacity = sum(boxes.filter((b) => b.site === box.site).map((b) => b.capacity));
    const siteCost = sum(cameras.filter((c) => c.site === box.site).map((c) => c.cost));
    const mean = (siteCost + (anySiteCost * siteCapacity) / totalCapacity) / siteCapacity;
    limits.set(box.id, mean * (1 + imbalance));
  }
  return limits;
}

function eligible(camera: DesiredCamera, box: LiveBox): boolean {
  return camera.site === undefined || camera.site === box.site;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
