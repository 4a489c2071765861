import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';

/** DeepStream `batch-size` and `batched-push-timeout` (there in µs, here in ms). */
export interface BatchPolicy {
  /** Most frames per inference call. */
  readonly size: number;
  /** Longest a frame waits for companions before a partial batch runs. */
  readonly maxWaitMs: number;
  /** Batches run at once (the next packed and handed over while one infers). Default 1. */
  readonly inFlight?: number;
}

interface Waiting<T, R> {
  item: T;
  readonly since: number;
  resolve: (result: R | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items from many lanes (one lane per camera) into batches of up to `size`, or whatever
 * is waiting once the oldest has waited `maxWaitMs`; up to `inFlight` batches run at a time. `run` may call
 * `release` early (when its inference is done but its postprocessing is not) so the next batch
 * starts while the previous one is being finished.
 *
 * Each lane holds at most ONE waiting item: a newer item replaces it and the older one resolves
 * `undefined` (dropped, reported through `onDrop`). So memory stays bounded by the number of
 * lanes however slow `run` is. When more lanes wait than a batch holds, the lanes served longest
 * ago go first, so every camera gets its share.
 */
export class FrameBatcher<T, R> {
  private readonly waiting = new Map<object, Waiting<T, R>>();
  private timer: Subscription | undefined;
  /** Batches started and not yet released. */
  private running = 0;
  private readonly inFlight: number;
  private closed = false;
  /** Counts served frames; a lane remembers the number of its last one. */
  private served = 0;
  private readonly lastServed = new WeakMap<object, number>();

  constructor(
    private readonly policy: BatchPolicy,
    private readonly run: (items: readonly T[], release: () => void) => Observable<readonly R[]>,
    private readonly onDrop: (item: T) => void = () => {},
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {
    if (!(Number.isInteger(policy.size) && policy.size > 0))
      throw new RangeError(`batch.size must be a positive integer, got ${policy.size}`);
    if (!(policy.maxWaitMs >= 0))
      throw new RangeError(`batch.maxWaitMs must be ≥ 0, got ${policy.maxWaitMs}`);
    this.inFlight = policy.inFlight ?? 1;
    if (!(Number.isInteger(this.inFlight) && this.inFlight > 0))
      throw new RangeError(`batch.inFlight must be a positive integer, got ${policy.inFlight}`);
  }

  /** Queues `item` for `lane`; resolves with its result, or `undefined` when a newer item replaced it. */
  submit(lane: object, item: T): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('detector is closed'));
        return;
      }
      const previous = this.waiting.get(lane);
      if (previous) {
        // Newest frame wins; the lane keeps its place in line.
        previous.resolve(undefined);
        this.onDrop(previous.item);
        previous.item = item;
        previous.resolve = resolve;
        previous.reject = reject;
      } else {
        this.waiting.set(lane, { item, since: this.scheduler.now(), resolve, reject });
      }
      this.pump();
    });
  }

  /** Forgets `lane`'s waiting item (its subscriber left); it resolves `undefined`. */
  cancel(lane: object): void {
    const waiting = this.waiting.get(lane);
    if (!waiting) return;
    this.waiting.delete(lane);
    waiting.resolve(undefined);
  }

  /** Number of lanes with an item waiting. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Stops accepting items; what waits resolves `undefined`. */
  close(): void {
    this.closed = true;
    this.timer?.unsubscribe();
    for (const lane of [...this.waiting.keys()]) this.cancel(lane);
  }

  private pump(): void {
    if (this.running >= this.inFlight || this.waiting.size === 0) return;
    if (this.waiting.size >= this.policy.size) {
      this.flush();
      return;
    }
    // Without a batching window a partial batch waits for the one in flight, as with one slot.
    if (this.running > 0 && this.policy.maxWaitMs === 0) return;
    if (this.timer) return;
    const oldest = this.waiting.values().next().value!.since;
    const delay = Math.max(0, this.policy.maxWaitMs - (this.scheduler.now() - oldest));
    this.timer = this.scheduler.schedule(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  private flush(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    if (this.running >= this.inFlight || this.waiting.size === 0) return;
    let lanes = [...this.waiting.keys()];
    if (lanes.length > this.policy.size) {
      // Saturated: the cameras served longest ago go first (round robin), then the longest waiting.
      const served = (lane: object) => this.lastServed.get(lane) ?? -1;
      lanes = lanes
        .map((lane, order) => ({ lane, order }))
        .sort((a, b) => served(a.lane) - served(b.lane) || a.order - b.order)
        .slice(0, this.policy.size)
        .map((entry) => entry.lane);
    }
    const batch: Waiting<T, R>[] = [];
    for (const lane of lanes) {
      batch.push(this.waiting.get(lane)!);
      this.waiting.delete(lane);
      this.lastServed.set(lane, ++this.served);
    }
    this.running++;
    let settled = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
    this.run(
      batch.map((w) => w.item),
      release,
    ).subscribe({
      next: (results) => {
        settled = true;
        for (const [i, w] of batch.entries()) w.resolve(results[i]);
      },
      error: (error: unknown) => {
        settled = true;
        for (const w of batch) w.reject(error);
        release();
      },
      complete: () => {
        if (!settled) for (const w of batch) w.resolve(undefined);
        release();
      },
    });
    // A second slot: a full batch may start while this one runs.
    this.pump();
  }
}
