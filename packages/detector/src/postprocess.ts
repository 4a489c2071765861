import type { Letterbox } from '@rxvision/decode';
import { unletterboxPoint } from '@rxvision/decode';
import type { Candidate } from './candidate.js';
import type { Detection } from './detection.js';
import type { CompiledFilters } from './filters.js';
import { nms } from './nms.js';

/**
 * Turns one image's candidates into detections: per-class thresholds and allow-list, NMS (unless
 * the graph already did it), boxes mapped back to source pixels, minimum area, maximum count.
 */
export function toDetections(
  candidates: readonly Candidate[],
  filters: CompiledFilters,
  box: Letterbox,
  classNames: readonly string[],
  nmsInGraph: boolean,
): Detection[] {
  const passing = candidates.filter(
    (c) =>
      c.score >= (filters.scoreByClass[c.classId] ?? filters.minScore) &&
      (!filters.allowed || filters.allowed[c.classId] === 1),
  );
  const kept = nmsInGraph
    ? passing.sort((a, b) => b.score - a.score)
    : nms(passing, filters.iou, filters.classAgnostic, filters.maxDetections);
  const detections: Detection[] = [];
  for (const c of kept) {
    const [x1, y1] = unletterboxPoint(box, c.x1, c.y1);
    const [x2, y2] = unletterboxPoint(box, c.x2, c.y2);
    if ((x2 - x1) * (y2 - y1) < filters.minArea) continue;
    detections.push({
      bbox: [x1, y1, x2, y2],
      score: c.score,
      classId: c.classId,
      label: classNames[c.classId] ?? `class${c.classId}`,
    });
    if (detections.length >= filters.maxDetections) break;
  }
  return detections;
}
