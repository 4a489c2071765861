/**
 * What the detector keeps. Names follow Frigate's `objects.filters` and DeepStream's
 * `nvinfer` `[class-attrs-*]` keys; each field says which.
 */
export interface DetectionFilters {
  /** Minimum confidence (obj × class). Frigate `min_score`, DeepStream `pre-cluster-threshold`. Default 0.25. */
  readonly confidence?: number;
  /** Per-class minimum confidence by label or class id. Frigate `objects.filters.<label>.min_score`, DeepStream `[class-attrs-<id>] pre-cluster-threshold`. */
  readonly classConfidence?: Readonly<Record<string, number>>;
  /** Keep only these classes (labels or ids). Frigate `objects.track`; DeepStream `filter-out-class-ids` is its complement. */
  readonly classes?: readonly (string | number)[];
  /** Minimum box area in source pixels². Frigate `min_area`; DeepStream `detected-min-w` × `detected-min-h`. */
  readonly minArea?: number;
  /** NMS IoU threshold. DeepStream `nms-iou-threshold`. Default 0.45. */
  readonly iou?: number;
  /** Suppress overlapping boxes across classes too (DeepStream `cluster-mode` with class-agnostic NMS). */
  readonly classAgnostic?: boolean;
  /** Keep at most this many boxes per frame. DeepStream `topk`. Default 300 (YOLOv7 `max_det`). */
  readonly maxDetections?: number;
}

/** Filters compiled against the model's class list, ready for the per-frame hot path. */
export interface CompiledFilters {
  /** The lowest threshold of any class: the decoders' early cut. */
  readonly minScore: number;
  readonly scoreByClass: Float32Array;
  /** 1 where the class is kept; undefined keeps every class. */
  readonly allowed: Uint8Array | undefined;
  readonly minArea: number;
  readonly iou: number;
  readonly classAgnostic: boolean;
  readonly maxDetections: number;
}

export const DEFAULT_FILTERS = { confidence: 0.25, iou: 0.45, maxDetections: 300 } as const;

/** Resolves labels to class ids and checks ranges; throws an error naming the bad key. */
export function compileFilters(filters: DetectionFilters, classNames: readonly string[]): CompiledFilters {
  const confidence = filters.confidence ?? DEFAULT_FILTERS.confidence;
  checkUnit('confidence', confidence);
  const iouThreshold = filters.iou ?? DEFAULT_FILTERS.iou;
  checkUnit('iou', iouThreshold);
  const classId = (key: string | number, option: string): number => {
    const id = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : classNames.indexOf(key);
    if (id < 0 || id >= classNames.length)
      throw new RangeError(
        `detector filter ${option}: unknown class ${JSON.stringify(key)}; the model's classes are ${classNames
          .slice(0, 10)
          .join(', ')}${classNames.length > 10 ? ', …' : ''}`,
      );
    return id;
  };
  const scoreByClass = new Float32Array(classNames.length).fill(confidence);
  for (const [key, value] of Object.entries(filters.classConfidence ?? {})) {
    checkUnit(`classConfidence.${key}`, value);
    scoreByClass[classId(key, 'classConfidence')] = value;
  }
  let allowed: Uint8Array | undefined;
  if (filters.classes) {
    allowed = new Uint8Array(classNames.length);
    for (const key of filters.classes) allowed[classId(key, 'classes')] = 1;
  }
  let minScore = 1;
  scoreByClass.forEach((s, i) => {
    if (!allowed || allowed[i]) minScore = Math.min(minScore, s);
  });
  const maxDetections = filters.maxDetections ?? DEFAULT_FILTERS.maxDetections;
  if (!(Number.isInteger(maxDetections) && maxDetections > 0))
    throw new RangeError(`detector filter maxDetections must be a positive integer, got ${maxDetections}`);
  return {
    minScore,
    scoreByClass,
    allowed,
    minArea: filters.minArea ?? 0,
    iou: iouThreshold,
    classAgnostic: filters.classAgnostic ?? false,
    maxDetections,
  };
}

function checkUnit(option: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`detector filter ${option} must be between 0 and 1, got ${value}`);
}
