import type { Counter, Histogram } from 'prom-client';

/**
 * Feeds running totals kept elsewhere (detector, MQTT publisher) into Prometheus counters by
 * their increase since the last scrape, so the counters stay monotonic.
 */
export class TotalsSync {
  private readonly seen = new Map<string, number>();

  counter<L extends string>(
    key: string,
    counter: Counter<L>,
    labels: Partial<Record<L, string>>,
    total: number,
  ): void {
    const delta = this.delta(`${key}${JSON.stringify(labels)}`, total);
    if (delta > 0) counter.inc(labels, delta);
  }

  /** `counts` maps an observed value to how many times it occurred in total. */
  histogram<L extends string>(
    key: string,
    histogram: Histogram<L>,
    labels: Partial<Record<L, string>>,
    counts: Readonly<Record<number, number>>,
  ): void {
    for (const [value, total] of Object.entries(counts)) {
      const delta = this.delta(`${key}${JSON.stringify(labels)}=${value}`, total);
      for (let i = 0; i < delta; i++) histogram.observe(labels, Number(value));
    }
  }

  /** Drops the totals under `scope` (keys `scope:…`), e.g. `camera:front` when that camera is removed. */
  forget(scope: string): void {
    // The separator keeps `camera:front` from also resetting `camera:front2`.
    const prefix = `${scope}:`;
    for (const key of [...this.seen.keys()]) if (key.startsWith(prefix)) this.seen.delete(key);
  }

  private delta(key: string, total: number): number {
    const previous = this.seen.get(key) ?? 0;
    this.seen.set(key, Math.max(previous, total));
    return Math.max(0, total - previous);
  }
}
