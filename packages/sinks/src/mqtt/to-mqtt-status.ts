import type { SourceStatus } from '@rxvision/decode';
import { defer, finalize, type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { MqttPublisher } from './publisher.js';
import { assertTopicLevel } from './topics.js';

/**
 * Publishes each camera state change from the decode node to `<prefix>/<camera>/status`, retained.
 *
 * The payload is `{"state": "online" | "connecting" | "stalled" | "offline", "at": <s>, "reason"?: "…"}`;
 * a consumer that subscribes later still sees the latest state. When the status stream ends (the
 * camera was stopped or removed, or its pipeline failed), every camera it reported that is not
 * already `offline` gets a last retained `offline` with reason `stopped` (or the error), so the
 * retained state never claims `online` for a camera nobody is running. Statuses pass through
 * unchanged.
 *
 * ## Example
 * ```ts
 * source.status$.pipe(toMqttStatus(mqtt)).subscribe();
 * ```
 * @see toMqtt
 */
export function toMqttStatus(publisher: MqttPublisher): MonoTypeOperatorFunction<SourceStatus> {
  return (status$) =>
    defer(() => {
      const lastState = new Map<string, SourceStatus['state']>();
      let endReason = 'stopped';
      const send = (camera: string, payload: object) =>
        publisher.publish('status', publisher.topic(camera, 'status'), JSON.stringify(payload), {
          retain: true,
        });
      return status$.pipe(
        tap({
          next: (status) => {
            const camera = assertTopicLevel(status.streamId, 'camera name');
            lastState.set(camera, status.state);
            send(camera, {
              state: status.state,
              at: status.at / 1000,
              ...(status.reason === undefined ? {} : { reason: status.reason }),
            });
          },
          error: (error: unknown) => {
            endReason = error instanceof Error ? error.message : String(error);
          },
        }),
        finalize(() => {
          for (const [camera, state] of lastState) {
            if (state !== 'offline')
              send(camera, { state: 'offline', at: Date.now() / 1000, reason: endReason });
          }
        }),
      );
    });
}
