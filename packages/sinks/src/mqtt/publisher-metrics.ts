import type { MessageKind } from './message.js';

/** Figures a metrics endpoint exports (Prometheus counters and gauges). */
export interface PublisherMetrics {
  readonly connected: boolean;
  /** Messages waiting in the offline queue. */
  readonly queueDepth: number;
  /** QoS ≥ 1 messages handed to the broker and not yet acknowledged. */
  readonly inFlight: number;
  /** Messages the broker took (acknowledged for QoS ≥ 1, written for QoS 0), per kind. */
  readonly published: Readonly<Record<MessageKind, number>>;
  readonly dropped: {
    /** Pushed out of the offline queue by its count or byte bound, least valuable first (detections, stats, retained state, then updates, `new`/`end` last). */
    readonly overflow: number;
    /** Expired in the offline queue by its age bound. */
    readonly expired: number;
    /** QoS 0 messages (detections, stats) produced while the broker was unreachable. */
    readonly offline: number;
    /** Snapshots still larger than `snapshot.maxBytes` after re-encoding. */
    readonly snapshotOversize: number;
  };
  /** Successful connections after the first one. */
  readonly reconnects: number;
}
