import { type BackoffOptions, backoffDelay } from '@rxvision/decode';

/** The restream encoder's default: first retry after 1 s, doubling to at most a minute. */
export const ENCODER_RESTART_BACKOFF: BackoffOptions = { initialDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * When a process that died may be started again: exponential backoff over consecutive failures,
 * back to the first delay once a restart has worked. Times are plain milliseconds from the caller's
 * clock, so the same object serves real time and virtual time.
 */
export class RestartBackoff {
  private failures = 0;
  private notBefore = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: BackoffOptions = ENCODER_RESTART_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failure at `now`; returns how long until a start is allowed again. */
  failed(now: number): number {
    this.failures++;
    const delay = backoffDelay(this.failures, this.options, this.random);
    this.notBefore = now + delay;
    return delay;
  }

  /** The restarted process did its job: the next failure waits the first delay again. */
  succeeded(): void {
    this.failures = 0;
  }

  mayStart(now: number): boolean {
    return now >= this.notBefore;
  }
}
