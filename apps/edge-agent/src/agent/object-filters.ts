import type { DetectedFrame } from '@rxvision/detector';
import { identity, type MonoTypeOperatorFunction, map } from 'rxjs';
import type { CameraConfig } from '../config/types.js';

type ObjectFilters = NonNullable<CameraConfig['objectFilters']>;

/** Each label's `min_score` in the detector's `classConfidence` shape; undefined when none is set. */
export function classConfidence(filters: ObjectFilters | undefined): Record<string, number> | undefined {
  const entries = Object.entries(filters ?? {}).flatMap(([label, f]) =>
    f.minScore !== undefined ? [[label, f.minScore] as const] : [],
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Each label's `threshold` (the computed score before an object is published), for toMqtt's `thresholds`. */
export function publishThresholds(filters: ObjectFilters | undefined): Record<string, number> | undefined {
  const entries = Object.entries(filters ?? {}).flatMap(([label, f]) =>
    f.threshold !== undefined ? [[label, f.threshold] as const] : [],
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Frigate's reading of an area: pixels² above 1, a fraction of the frame's area at or below 1. */
function inPixels(area: number, frameArea: number): number {
  return area <= 1 ? area * frameArea : area;
}

/** Drops each box outside its label's `min_area`/`max_area`; frames pass through untouched when no label has one. */
export function areaFilter(filters: ObjectFilters | undefined): MonoTypeOperatorFunction<DetectedFrame> {
  const bounded = Object.entries(filters ?? {}).filter(
    ([, f]) => f.minArea !== undefined || f.maxArea !== undefined,
  );
  if (bounded.length === 0) return identity;
  const byLabel = new Map(bounded);
  return map((detected) => {
    const frameArea = detected.frame.width * detected.frame.height;
    const detections = detected.detections.filter((d) => {
      const f = byLabel.get(d.label);
      if (!f) return true;
      const area = (d.bbox[2] - d.bbox[0]) * (d.bbox[3] - d.bbox[1]);
      if (f.minArea !== undefined && area < inPixels(f.minArea, frameArea)) return false;
      return f.maxArea === undefined || area <= inPixels(f.maxArea, frameArea);
    });
    return detections.length === detected.detections.length ? detected : { ...detected, detections };
  });
}
