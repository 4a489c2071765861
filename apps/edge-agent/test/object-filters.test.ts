import type { DetectedFrame } from '@rxvision/detector';
import { firstValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { areaFilter, classConfidence } from '../src/agent/object-filters.js';

function frameWith(boxes: Array<[string, number, number]>): DetectedFrame {
  const frame = {
    streamId: 'door',
    seq: 0,
    pts: 0,
    capturedAt: 0,
    width: 100,
    height: 100,
    format: 'rgb24' as const,
    data: new Uint8Array(0),
  };
  return {
    frame,
    inferenceMs: 1,
    detections: boxes.map(([label, w, h]) => ({
      bbox: [0, 0, w, h] as const,
      score: 0.9,
      classId: 0,
      label,
    })),
  };
}

describe("Frigate's objects.filters.<label> in the camera pipeline", () => {
  it('drops boxes outside their label’s min_area/max_area, in pixels² or as a fraction of the frame area', async () => {
    const filter = areaFilter({ person: { minArea: 400 }, car: { maxArea: 0.25 } });
    const out = await firstValueFrom(
      of(
        frameWith([
          ['person', 10, 10],
          ['person', 30, 30],
          ['car', 60, 60],
          ['car', 50, 50],
          ['dog', 1, 1],
        ]),
      ).pipe(filter),
    );
    expect(out.detections.map((d) => `${d.label} ${d.bbox[2]}`)).toEqual(['person 30', 'car 50', 'dog 1']);
  });

  it("hands each label's min_score to the detector as classConfidence, and nothing when no label sets one", () => {
    expect(classConfidence({ person: { minScore: 0.6 }, car: { threshold: 0.8 } })).toEqual({ person: 0.6 });
    expect(classConfidence({ car: { threshold: 0.8 } })).toBeUndefined();
    expect(classConfidence(undefined)).toBeUndefined();
  });
});
