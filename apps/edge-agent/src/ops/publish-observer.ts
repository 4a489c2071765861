import type { PublishObserver, SnapshotStore } from '@rxvision/sinks';
import type { AgentMetrics } from './metrics.js';

/** One camera's observer of what its MQTT sink published: events and snapshots into `store`, counts and latency into `metrics`. */
export function publishObserver(
  camera: string,
  store: SnapshotStore,
  metrics: AgentMetrics,
): PublishObserver {
  return {
    event(type, object) {
      store.event(type, object);
      metrics.eventsPublished.inc({ camera, type });
      // An `end` carries the last sighting's time, not a fresh capture.
      if (type !== 'end')
        metrics.captureToPublishSeconds.observe(
          { camera },
          Math.max(0, Date.now() / 1000 - object.frame_time),
        );
    },
    snapshot: (eventId, jpeg, score) => store.snapshot(eventId, jpeg, score),
  };
}
