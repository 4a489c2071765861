import type { Detection } from '@rxvision/detector';
import { bottomCentre } from './box.js';
import type { BoxTracker, CoreTrack, IdSource, ReportedBox } from './box-tracker.js';
import { counterIds, reportedBox } from './box-tracker.js';
import type { ByteTrackOptions } from './bytetrack.js';
import { ByteTracker } from './bytetrack.js';
import type { LineOptions } from './lines.js';
import { Line, LineSide } from './lines.js';
import { ScoreHistory } from './score-history.js';
import type { SortOptions } from './sort.js';
import { SORT_DEFAULTS, SortTracker } from './sort.js';
import type { Crossings, LineCount, Track, TrackEvent, ZoneOccupancy } from './tracked-frame.js';
import type { ZoneOptions } from './zones.js';
import { Zone, ZonePresence } from './zones.js';

export type TrackerKind = 'bytetrack' | 'sort';

/** When a track counts as stationary (Frigate's `detect.stationary`). */
export interface StationaryOptions {
  /** Frames without moving before a track is stationary (Frigate's `threshold`, default 50). */
  readonly threshold?: number;
  /** Centre movement, as a fraction of box height, still counted as not moving (default 0.1). */
  readonly maxDisplacement?: number;
}

/** Options of one camera's tracker; the operator `track()` takes the same. */
export interface TrackerOptions {
  /** Algorithm: `bytetrack` (default) or `sort`. */
  readonly tracker?: TrackerKind;
  /** ByteTrack settings (`track_thresh`, `match_thresh`, `track_buffer` …). */
  readonly bytetrack?: ByteTrackOptions;
  /** SORT settings; defaults are SORT's reference preset (`max_age` 1, `min_hits` 3, IoU 0.3). */
  readonly sort?: SortOptions;
  /** Frames per second the detector sees (Frigate's `detect.fps`); scales ByteTrack's buffer. */
  readonly fps?: number;
  /** One tracker per label so an id never spans two classes (default true; DeepStream's inverse is `classAgnostic`). */
  readonly perClass?: boolean;
  /** Labels to track, Frigate's `objects.track`; all when absent. */
  readonly objects?: readonly string[];
  /** Polygon zones, Frigate's `zones`. */
  readonly zones?: Readonly<Record<string, ZoneOptions>>;
  /** Counting lines. */
  readonly lines?: Readonly<Record<string, LineOptions>>;
  readonly stationary?: StationaryOptions;
  /**
   * The box a track carries, and that zones, lines and `stationary` use: `detection` (default, as
   * Frigate publishes it) is the detector's box from this frame; `filter` is the Kalman estimate.
   * A coasting track carries the filter's prediction either way.
   */
  readonly box?: ReportedBox;
  /** Line totals to count on from (saved before a restart); lines not configured are ignored. */
  readonly lineTotals?: Readonly<Record<string, LineCount>>;
}

/** What one frame produced. */
export interface TrackerUpdate {
  /** Confirmed tracks matched in this frame. */
  readonly tracks: readonly Track[];
  readonly events: readonly TrackEvent[];
  readonly zoneOccupancy: Readonly<Record<string, ZoneOccupancy>>;
  readonly lineCounts: Readonly<Record<string, LineCount>>;
}

interface Life {
  label: string;
  readonly firstSeen: number;
  lastSeen: number;
  readonly scores: ScoreHistory;
  announced: boolean;
  anchorX: number;
  anchorY: number;
  stillFrames: number;
  positionChanges: number;
  readonly zones: Map<string, ZonePresence>;
  readonly lines: Map<string, LineSide>;
  readonly entered: Set<string>;
}

/**
 * One camera's tracking state without RxJS: call `update()` once per frame with that frame's
 * detections. Wraps SORT or ByteTrack with the product's lifecycle (`new` when a track is first
 * confirmed, `update` while it is matched, `end` when it is dropped), stationary detection, zones
 * and lines. Memory is bounded: a removed track leaves every map.
 *
 * ## Example
 * ```ts
 * const tracker = new CameraTracker({ tracker: 'sort', lines: { door: { coordinates: '0,300,640,300' } } });
 * for (const frame of frames) {
 *   const { tracks, events, lineCounts } = tracker.update(frame.detections, frame.capturedAt);
 * }
 * ```
 */
export class CameraTracker {
  private readonly trackers = new Map<string, BoxTracker>();
  private readonly lives = new Map<number, Life>();
  private readonly zones: Zone[];
  private readonly lines: Line[];
  private readonly counts = new Map<string, MutableLineCount>();
  private readonly ids: IdSource = counterIds();
  private readonly objects: ReadonlySet<string> | undefined;
  private fps: number | undefined;
  private frames = 0;

  constructor(private readonly options: TrackerOptions = {}) {
    const kind: string = options.tracker ?? 'bytetrack';
    if (kind !== 'bytetrack' && kind !== 'sort') {
      throw new Error(`tracker: unknown tracker "${kind}"; use "bytetrack" or "sort"`);
    }
    if (options.box !== undefined && options.box !== 'detection' && options.box !== 'filter') {
      throw new Error(`tracker: unknown box "${String(options.box)}"; use "detection" or "filter"`);
    }
    if (options.fps !== undefined && !(options.fps > 0)) {
      throw new Error(`tracker: fps must be a positive number of frames per second, got ${options.fps}`);
    }
    this.zones = Object.entries(options.zones ?? {}).map(([name, z]) => new Zone(name, z));
    this.lines = Object.entries(options.lines ?? {}).map(([name, l]) => new Line(name, l));
    for (const l of this.lines) this.counts.set(l.name, startingCount(options.lineTotals?.[l.name]));
    this.objects = options.objects ? new Set(options.objects) : undefined;
    this.fps = options.fps;
  }

  /** Tracks held in memory (all states), across classes. */
  get size(): number {
    let n = 0;
    for (const t of this.trackers.values()) n += t.size;
    return n;
  }

  /** Per-track bookkeeping entries held (equals `size` when nothing leaks). */
  get bookkeepingSize(): number {
    return this.lives.size;
  }

  /** Frames per second once measured (the operator does it from pts); explicit settings win. */
  setFrameRate(fps: number): void {
    if (this.options.fps !== undefined || this.options.bytetrack?.frameRate !== undefined || !(fps > 0))
      return;
    this.fps = fps;
    for (const t of this.trackers.values()) if (t instanceof ByteTracker) t.setFrameRate(fps);
  }

  /** Advances one frame; `at` is the frame's capture time in ms (defaults to a frame counter). */
  update(detections: readonly Detection[], at: number = this.frames + 1): TrackerUpdate {
    this.frames++;
    const wanted = this.objects ? detections.filter((d) => this.objects!.has(d.label)) : detections;
    const groups = new Map<string, Detection[]>();
    const perClass = this.options.perClass ?? true;
    for (const d of wanted) {
      const key = perClass ? d.label : '';
      let g = groups.get(key);
      if (!g) {
        g = [];
        groups.set(key, g);
      }
      g.push(d);
    }
    for (const key of groups.keys())
      if (!this.trackers.has(key)) this.trackers.set(key, this.createTracker());

    const events: TrackEvent[] = [];
    const tracks: Track[] = [];
    for (const [key, tracker] of this.trackers) {
      const step = tracker.update(groups.get(key) ?? []);
      for (const core of step.tracks.map((t) => this.withReportedBox(t))) {
        const life = this.lifeOf(core, at);
        life.scores.observe(core.matched ? core.score : 0);
        if (core.matched) {
          life.lastSeen = at;
          this.observeMotion(life, core);
        }
        if (!core.reported) continue;
        const zoneEvents: Array<['zone-enter' | 'zone-exit', string]> = [];
        const crossings: Array<[string, 'in' | 'out']> = [];
        this.observePlaces(life, core, at, zoneEvents, crossings);
        const track = this.toTrack(core, life, at);
        tracks.push(track);
        events.push({ type: life.announced ? 'update' : 'new', track, at });
        life.announced = true;
        for (const [type, zone] of zoneEvents) events.push({ type, zone, track, at });
        for (const [line, direction] of crossings)
          events.push({ type: 'line-cross', line, direction, track, at });
      }
      for (const core of step.removed.map((t) => this.withReportedBox(t))) {
        const life = this.lives.get(core.id);
        if (!life) continue;
        this.lives.delete(core.id);
        if (!life.announced) continue;
        const exits = [...life.zones].filter(([, p]) => p.inside).map(([zone]) => zone);
        // The stay ends where the track was last seen, not after the frames it coasted unseen.
        for (const p of life.zones.values()) p.leave(life.lastSeen);
        const track = this.toTrack(core, life, at);
        for (const zone of exits) events.push({ type: 'zone-exit', zone, track, at });
        events.push({ type: 'end', track, at });
      }
    }
    return { tracks, events, zoneOccupancy: this.occupancy(), lineCounts: this.lineCounts() };
  }

  /** Current per-zone occupancy by confirmed tracks. */
  occupancy(): Record<string, ZoneOccupancy> {
    const out: Record<string, { count: number; objects: Record<string, number> }> = {};
    for (const z of this.zones) out[z.name] = { count: 0, objects: {} };
    if (this.zones.length === 0) return out;
    for (const life of this.lives.values()) {
      if (!life.announced) continue;
      for (const [zone, p] of life.zones) {
        if (!p.inside) continue;
        const o = out[zone]!;
        o.count++;
        o.objects[life.label] = (o.objects[life.label] ?? 0) + 1;
      }
    }
    return out;
  }

  /** Running in/out counts per line, in total and per label. */
  lineCounts(): Record<string, LineCount> {
    const out: Record<string, LineCount> = {};
    for (const [name, c] of this.counts) {
      const objects: Record<string, Crossings> = {};
      for (const [label, n] of c.objects) objects[label] = { in: n.in, out: n.out };
      out[name] = { in: c.in, out: c.out, objects };
    }
    return out;
  }

  private createTracker(): BoxTracker {
    if ((this.options.tracker ?? 'bytetrack') === 'sort') {
      return new SortTracker({ ...SORT_DEFAULTS, ...this.options.sort }, this.ids, this.frames - 1);
    }
    const bt = this.options.bytetrack ?? {};
    const frameRate = this.fps ?? bt.frameRate;
    return new ByteTracker(frameRate === undefined ? bt : { ...bt, frameRate }, this.ids, this.frames - 1);
  }

  private withReportedBox(core: CoreTrack): CoreTrack {
    const bbox = reportedBox(core, this.options.box ?? 'detection');
    return bbox === core.bbox ? core : { ...core, bbox };
  }

  private lifeOf(core: CoreTrack, at: number): Life {
    let life = this.lives.get(core.id);
    if (!life) {
      const [x, y] = centre(core);
      life = {
        label: core.label,
        firstSeen: at,
        lastSeen: at,
        scores: new ScoreHistory(),
        announced: false,
        anchorX: x,
        anchorY: y,
        stillFrames: 0,
        positionChanges: 0,
        zones: new Map(),
        lines: new Map(),
        entered: new Set(),
      };
      this.lives.set(core.id, life);
    }
    life.label = core.label;
    return life;
  }

  private observeMotion(life: Life, core: CoreTrack): void {
    const [x, y] = centre(core);
    const h = core.bbox[3] - core.bbox[1];
    const limit = (this.options.stationary?.maxDisplacement ?? 0.1) * h;
    if (Math.hypot(x - life.anchorX, y - life.anchorY) <= limit) {
      life.stillFrames++;
    } else {
      // Frigate counts the first move, then only moves out of a stationary stay.
      if (life.positionChanges === 0 || life.stillFrames >= (this.options.stationary?.threshold ?? 50))
        life.positionChanges++;
      life.anchorX = x;
      life.anchorY = y;
      life.stillFrames = 0;
    }
  }

  private observePlaces(
    life: Life,
    core: CoreTrack,
    at: number,
    zoneEvents: Array<['zone-enter' | 'zone-exit', string]>,
    crossings: Array<[string, 'in' | 'out']>,
  ): void {
    if (!core.matched) return;
    const anchor = bottomCentre(core.bbox);
    for (const zone of this.zones) {
      if (!zone.appliesTo(core.label)) continue;
      let presence = life.zones.get(zone.name);
      if (!presence) {
        presence = new ZonePresence();
        life.zones.set(zone.name, presence);
      }
      const change = presence.observe(zone.contains(anchor), zone.inertia, at);
      if (change === 'enter') life.entered.add(zone.name);
      if (change) zoneEvents.push([change === 'enter' ? 'zone-enter' : 'zone-exit', zone.name]);
    }
    for (const line of this.lines) {
      if (!line.appliesTo(core.label)) continue;
      let side = life.lines.get(line.name);
      if (!side) {
        side = new LineSide();
        life.lines.set(line.name, side);
      }
      const crossing = side.observe(line.sideOf(anchor, core.bbox), line.inertia);
      if (!crossing) continue;
      const count = this.counts.get(line.name)!;
      count[crossing]++;
      let byLabel = count.objects.get(core.label);
      if (!byLabel) {
        byLabel = { in: 0, out: 0 };
        count.objects.set(core.label, byLabel);
      }
      byLabel[crossing]++;
      crossings.push([line.name, crossing]);
    }
  }

  private toTrack(core: CoreTrack, life: Life, at: number): Track {
    const currentZones: string[] = [];
    const loiteringZones: string[] = [];
    const zoneDwellMs: Record<string, number> = {};
    for (const [zone, p] of life.zones) if (p.inside) currentZones.push(zone);
    for (const zone of this.zones) {
      const presence = life.zones.get(zone.name);
      if (!presence || !life.entered.has(zone.name)) continue;
      zoneDwellMs[zone.name] = presence.dwellMs(at);
      if (presence.loitering(at, zone.loiteringMs)) loiteringZones.push(zone.name);
    }
    return {
      bbox: core.bbox,
      score: core.score,
      classId: core.classId,
      label: core.label,
      trackId: core.id,
      state: core.state,
      firstSeen: life.firstSeen,
      lastSeen: life.lastSeen,
      hits: core.hits,
      computedScore: life.scores.computed,
      topScore: life.scores.top,
      velocity: core.velocity,
      stationary: life.stillFrames >= (this.options.stationary?.threshold ?? 50),
      motionlessCount: life.stillFrames,
      positionChanges: life.positionChanges,
      currentZones,
      enteredZones: [...life.entered],
      zoneDwellMs,
      loiteringZones,
    };
  }
}

interface MutableLineCount {
  in: number;
  out: number;
  readonly objects: Map<string, { in: number; out: number }>;
}

function startingCount(saved: LineCount | undefined): MutableLineCount {
  const objects = new Map<string, { in: number; out: number }>();
  for (const [label, c] of Object.entries(saved?.objects ?? {})) objects.set(label, { in: c.in, out: c.out });
  return { in: saved?.in ?? 0, out: saved?.out ?? 0, objects };
}

function centre(core: CoreTrack): [number, number] {
  return [(core.bbox[0] + core.bbox[2]) / 2, (core.bbox[1] + core.bbox[3]) / 2];
}
