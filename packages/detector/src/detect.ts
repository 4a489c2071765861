import type { Frame } from '@rxvision/decode';
import { Observable, type OperatorFunction } from 'rxjs';
import type { DetectedFrame } from './detection.js';
import type { Detector } from './detector.js';
import type { DetectionFilters } from './filters.js';

export interface DetectOptions {
  /** Filters for this pipeline, over the detector's defaults (Frigate per-camera `objects.filters`). */
  readonly filters?: DetectionFilters;
}

/**
 * Runs each frame through a shared `Detector` and emits it with its detections.
 *
 * Frames from every pipeline using the same detector are batched together (up to
 * `batch.size`, waiting at most `batch.maxWaitMs`). While the detector is busy this pipeline keeps
 * only its newest frame: older waiting frames are dropped and counted in `detector.stats()`,
 * so a slow model never makes memory grow. Results come out in frame order; completion waits
 * for the frame in flight; an inference failure errors the stream with the camera named.
 *
 * ## Example
 * ```ts
 * const detector = await createDetector({ model: 'yolov7-tiny.onnx', batch: { size: 4, maxWaitMs: 20 } });
 * decode({ url, modelInput: detector.inputSize }).pipe(
 *   detect(detector, { filters: { classes: ['person', 'car'], minArea: 400 } }),
 * ).subscribe(({ detections }) => console.log(detections));
 * ```
 * @see createDetector
 */
export function detect(
  detector: Detector,
  options: DetectOptions = {},
): OperatorFunction<Frame, DetectedFrame> {
  return (source) =>
    new Observable<DetectedFrame>((subscriber) => {
      const filters = detector.compileFilters(options.filters);
      const lane = {};
      let inFlight = 0;
      let sourceDone = false;
      const settle = () => {
        inFlight--;
        if (sourceDone && inFlight === 0) subscriber.complete();
      };
      const subscription = source.subscribe({
        next: (frame) => {
          inFlight++;
          detector.submit(lane, frame, filters).then(
            (result) => {
              if (result) subscriber.next(result);
              settle();
            },
            (error: unknown) => subscriber.error(error),
          );
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (inFlight === 0) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        detector.cancel(lane);
      };
    });
}
