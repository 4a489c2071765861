import type { ZoneOccupancy } from '@rxvision/tracker';

/** What each camera's zones hold now, summed per zone name over the cameras that share it. */
export class ZoneCounts {
  private readonly byCamera = new Map<string, Readonly<Record<string, ZoneOccupancy>>>();
  /** The value last published per zone topic, shared so two cameras do not repeat each other. */
  readonly published = new Map<string, number>();

  /** Replaces one camera's occupancy (its tracker's `zoneOccupancy`). */
  set(camera: string, occupancy: Readonly<Record<string, ZoneOccupancy>>): void {
    this.byCamera.set(camera, occupancy);
  }

  /** Forgets a camera whose pipeline stopped, so its objects no longer count. */
  remove(camera: string): void {
    this.byCamera.delete(camera);
  }

  /** One zone's total and per-label counts over every camera that has it; undefined if none has. */
  total(zone: string): ZoneOccupancy | undefined {
    let found = false;
    let count = 0;
    const objects: Record<string, number> = {};
    for (const occupancy of this.byCamera.values()) {
      const here = occupancy[zone];
      if (!here) continue;
      found = true;
      count += here.count;
      for (const [label, n] of Object.entries(here.objects)) objects[label] = (objects[label] ?? 0) + n;
    }
    return found ? { count, objects } : undefined;
  }
}

const shared = new WeakMap<object, ZoneCounts>();

/** The zone counts every camera on one publisher shares (Frigate's `<prefix>/<zone>/<label>` spans cameras). */
export function zoneCountsOf(publisher: object): ZoneCounts {
  let counts = shared.get(publisher);
  if (!counts) {
    counts = new ZoneCounts();
    shared.set(publisher, counts);
  }
  return counts;
}
