import type { SourceStatus } from '@rxvision/decode';
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { MqttPublisher } from './publisher.js';
import { assertTopicLevel } from './topics.js';

/**
 * Publishes each camera state change from the decode node to `<prefix>/<camera>/status`, retained.
 *
 * The payload is `{"state": "online" | "connecting" | "stalled" | "offline", "at": <s>, "reason"?: "…"}`;
 * a consumer that subscribes later still sees the latest state. Statuses pass through unchanged.
 *
 * ## Example
 * ```ts
 * source.status$.pipe(toMqttStatus(mqtt)).subscribe();
 * ```
 * @see toMqtt
 */
export function toMqttStatus(publisher: MqttPublisher): MonoTypeOperatorFunction<SourceStatus> {
  return tap((status) => {
    const camera = assertTopicLevel(status.streamId, 'camera name');
    const payload = {
      state: status.state,
      at: status.at / 1000,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
    };
    publisher.publish('status', publisher.topic(camera, 'status'), JSON.stringify(payload), { retain: true });
  });
}
