import type { InputBuffer } from './preprocess.js';

/**
 * The detector's input buffers, one per batch in flight: a batch takes one to pack into, runs, and
 * gives back the buffer the backend handed back (a worker transfers it away and back). Waits for a free
 * buffer when every one is in use, so at most `size` batches are packed or running at once.
 */
export class InputPool {
  private readonly free: InputBuffer[];
  private readonly waiting: ((input: InputBuffer) => void)[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly make: () => InputBuffer,
    size: number,
  ) {
    this.free = Array.from({ length: size }, make);
  }

  /** Runs `work` with a free buffer; `work` reports the buffer to keep with `reclaim`. */
  use<T>(work: (input: InputBuffer, reclaim: (input: InputBuffer) => void) => Promise<T>): Promise<T> {
    const done = this.take().then(async (input) => {
      let kept = input;
      try {
        return await work(input, (back) => {
          kept = back;
        });
      } finally {
        // A buffer transferred to a worker that never came back is detached: replace it.
        this.give(kept.buffer.byteLength > 0 ? kept : this.make());
      }
    });
    const tracked = done.catch(() => {});
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return done;
  }

  /** Resolves once every batch using a buffer has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private take(): Promise<InputBuffer> {
    const input = this.free.pop();
    if (input) return Promise.resolve(input);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(input: InputBuffer): void {
    const next = this.waiting.shift();
    if (next) next(input);
    else this.free.push(input);
  }
}
