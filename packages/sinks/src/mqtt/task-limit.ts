/**
 * Runs at most `concurrency` async tasks at a time, in arrival order; at most `maxQueued` wait.
 * A task that finds the queue full is not run: `run` resolves `undefined` for it, so bursts cost a
 * bounded number of processes and bounded memory.
 */
export class TaskLimit {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** Tasks turned away because the queue was full, since creation. */
  skipped = 0;
  /** Most tasks seen running at once, since creation. */
  peak = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.active >= this.concurrency && this.queue.length >= this.maxQueued) {
      this.skipped++;
      return Promise.resolve(undefined);
    }
    return new Promise<T | undefined>((resolve, reject) => {
      const start = () => {
        this.active++;
        this.peak = Math.max(this.peak, this.active);
        task()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.queue.shift()?.();
          });
      };
      if (this.active < this.concurrency) start();
      else this.queue.push(start);
    });
  }
}
