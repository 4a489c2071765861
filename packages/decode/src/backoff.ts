/** Exponential reconnect backoff with jitter, capped (DeepStream `rtsp-reconnect-interval`). */
export interface BackoffOptions {
  /** First delay in ms. Default 500. */
  readonly initialDelay?: number;
  /** Cap in ms. Default 30 000. */
  readonly maxDelay?: number;
  /** Growth per attempt. Default 2. */
  readonly factor?: number;
  /** ± fraction of random spread, so cameras behind one switch don't reconnect in lockstep. Default 0.2. */
  readonly jitter?: number;
  /** Give up after this many consecutive failures. Default: forever for live sources. */
  readonly maxRetries?: number;
}

/**
 * The delay before reconnect attempt `attempt` (1-based): `initialDelay · factor^(attempt-1)`,
 * capped at `maxDelay`, spread by ±`jitter` with `random()` in [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const { initialDelay = 500, maxDelay = 30_000, factor = 2, jitter = 0.2 } = options;
  const base = Math.min(maxDelay, initialDelay * factor ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}
