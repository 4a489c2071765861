import type { Logger } from '@rxvision/decode';
import type { DetectedFrame } from '@rxvision/detector';
import type { OperatorFunction } from 'rxjs';
import { defer, map } from 'rxjs';
import type { TrackerOptions } from './camera-tracker.js';
import { CameraTracker } from './camera-tracker.js';
import { LineTotalsFile } from './line-totals-file.js';
import type { TrackedFrame } from './tracked-frame.js';

/** The operator's options: a camera tracker's, plus where line totals survive a restart. */
export interface TrackOptions extends TrackerOptions {
  /** JSON file the line totals are saved to after each crossing and counted on from at start (per camera). */
  readonly lineTotalsFile?: string;
  /** Where a line totals file that cannot be read or written is reported (default `console`). */
  readonly logger?: Logger;
}

/** Frames whose pts are used to measure a camera's frame rate when `fps` is not given. */
const FPS_SAMPLE = 10;

/**
 * Tracks objects across frames, one tracker per camera (`frame.streamId`).
 *
 * Each camera gets its own {@link CameraTracker} (ByteTrack by default, or SORT) the first time
 * one of its frames arrives, so ids, zones and line counts never mix between cameras. Without
 * `fps` (Frigate's `detect.fps`) the frame rate that scales ByteTrack's lost-track buffer is
 * measured from the first frames' pts. Each subscription starts from fresh state, except line
 * totals when `lineTotalsFile` is set: they continue from the file and are saved after each crossing.
 *
 * ## Example
 * ```ts
 * decode({ url, streamId: 'front' }).pipe(
 *   detect(detector),
 *   track({ tracker: 'bytetrack', zones: { porch: { coordinates: '0,300,320,300,320,480,0,480' } } }),
 * ).subscribe(({ tracks, events }) => console.log(tracks.length, events));
 * ```
 * @see CameraTracker for the same without RxJS.
 */
export function track(options: TrackOptions = {}): OperatorFunction<DetectedFrame, TrackedFrame> {
  const { lineTotalsFile, logger = console, ...trackerOptions } = options;
  return (source) =>
    defer(() => {
      const totals = lineTotalsFile ? LineTotalsFile.at(lineTotalsFile) : undefined;
      if (totals?.problem)
        logger.warn(`line totals start from 0: ${totals.problem}`, {
          hint: 'delete the file or point tracker.line_totals_file elsewhere',
        });
      const cameras = new Map<
        string,
        { tracker: CameraTracker; firstPts: number; lastPts: number; seen: number }
      >();
      return source.pipe(
        map((detected): TrackedFrame => {
          const { frame } = detected;
          let camera = cameras.get(frame.streamId);
          if (!camera) {
            camera = {
              tracker: new CameraTracker(
                totals ? { ...trackerOptions, lineTotals: totals.load(frame.streamId) } : trackerOptions,
              ),
              firstPts: frame.pts,
              lastPts: -Infinity,
              seen: 0,
            };
            cameras.set(frame.streamId, camera);
          }
          if (trackerOptions.fps === undefined && camera.seen < FPS_SAMPLE) {
            // A reopened source starts its pts again: restart the sample rather than measure across it.
            if (frame.pts <= camera.lastPts) camera.seen = 0;
            if (camera.seen === 0) camera.firstPts = frame.pts;
            camera.lastPts = frame.pts;
            camera.seen++;
            if (camera.seen === FPS_SAMPLE) {
              const span = frame.pts - camera.firstPts;
              if (span > 0) camera.tracker.setFrameRate((FPS_SAMPLE - 1) / span);
              else camera.seen = 0;
            }
          }
          const result = camera.tracker.update(detected.detections, frame.capturedAt);
          if (totals && result.events.some((e) => e.type === 'line-cross')) {
            try {
              totals.save(frame.streamId, result.lineCounts);
            } catch (error) {
              logger.warn(`cannot save line totals: ${(error as Error).message}`, {
                camera: frame.streamId,
                hint: 'make tracker.line_totals_file writable; counting goes on in memory',
              });
            }
          }
          return { ...detected, ...result };
        }),
      );
    });
}
