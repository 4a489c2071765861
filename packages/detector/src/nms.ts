import type { Candidate } from './candidate.js';

/** YOLOv7's `max_nms`: at most this many boxes, best first, enter NMS. */
const MAX_NMS_INPUT = 30_000;

/** Intersection over union of two candidates (corner boxes in model-input pixels). */
function candidateIou(a: Candidate, b: Candidate): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/**
 * Greedy non-maximum suppression, best score first: a box is dropped when it overlaps a kept
 * box of the same class (any class when `classAgnostic`) by more than `iouThreshold`.
 * Stops at `maxDetections` kept boxes.
 */
export function nms(
  candidates: readonly Candidate[],
  iouThreshold: number,
  classAgnostic: boolean,
  maxDetections: number,
): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  if (sorted.length > MAX_NMS_INPUT) sorted.length = MAX_NMS_INPUT;
  const kept: Candidate[] = [];
  const keptByClass = new Map<number, Candidate[]>();
  for (const box of sorted) {
    const group = classAgnostic ? -1 : box.classId;
    let peers = keptByClass.get(group);
    if (!peers) {
      peers = [];
      keptByClass.set(group, peers);
    }
    let suppressed = false;
    for (const other of peers) {
      if (candidateIou(box, other) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (suppressed) continue;
    peers.push(box);
    kept.push(box);
    if (kept.length >= maxDetections) break;
  }
  return kept;
}
