import { z } from 'zod';
import { about, labels, nameKey, number } from './fields.js';

/** A box area: pixels² above 1, a fraction of the frame's area at or below 1 (as Frigate reads it). */
const area = () => number({ min: 0 }).optional();

const labelFilter = z
  .strictObject({
    min_score: number({ min: 0, max: 1 })
      .optional()
      .meta(
        about(
          "this label's confidence cut (default the camera's `min_score`)",
          'Frigate `objects.filters.<label>.min_score`',
        ),
      ),
    threshold: number({ min: 0, max: 1 })
      .optional()
      .meta(
        about(
          'the median score an object needs before its events are published (default 0.7)',
          'Frigate `objects.filters.<label>.threshold`',
        ),
      ),
    min_area: area().meta(
      about(
        'smaller boxes of this label are dropped: pixels², or a fraction of the frame area when ≤ 1',
        'Frigate `objects.filters.<label>.min_area`',
      ),
    ),
    max_area: area().meta(
      about(
        'larger boxes of this label are dropped: pixels², or a fraction of the frame area when ≤ 1',
        'Frigate `objects.filters.<label>.max_area`',
      ),
    ),
  })
  .meta(about("one label's filters", 'Frigate `objects.filters.<label>`'))
  .transform((f) => ({
    ...(f.min_score !== undefined ? { minScore: f.min_score } : {}),
    ...(f.threshold !== undefined ? { threshold: f.threshold } : {}),
    ...(f.min_area !== undefined ? { minArea: f.min_area } : {}),
    ...(f.max_area !== undefined ? { maxArea: f.max_area } : {}),
  }));

/** One label's filters as the camera pipeline applies them. */
export type LabelFilter = z.output<typeof labelFilter>;

/** Frigate's `objects` mapping: which labels to track and each label's filters. */
export const objectsMapping = z
  .strictObject({
    track: labels()
      .optional()
      .meta(about('labels to detect, track and count (default all)', 'Frigate `objects.track`')),
    filters: z
      .record(nameKey, labelFilter)
      .optional()
      .meta(about('label → filters', 'Frigate `objects.filters`')),
  })
  .meta(about('labels to track and their filters', 'Frigate `objects`'));

/** `objects` written as Frigate's mapping, for every camera; a camera's own `objects` wins label by label. */
export const objectsSection = objectsMapping.optional();

export type ObjectsMapping = z.output<typeof objectsMapping>;

function isLabelList(value: readonly string[] | ObjectsMapping | undefined): value is readonly string[] {
  return Array.isArray(value);
}

/**
 * A camera's labels and filters: its own `objects` (a list, or Frigate's mapping) over the
 * top-level `objects`; per-label filters merged, the camera's keys winning.
 */
export function resolveObjects(
  own: readonly string[] | ObjectsMapping | undefined,
  shared: ObjectsMapping | undefined,
): { objects?: string[]; objectFilters?: Record<string, LabelFilter> } {
  const mine: ObjectsMapping | undefined = isLabelList(own) ? { track: [...own] } : own;
  const track = mine?.track ?? shared?.track;
  const labelsWithFilters = new Set([
    ...Object.keys(shared?.filters ?? {}),
    ...Object.keys(mine?.filters ?? {}),
  ]);
  const filters = Object.fromEntries(
    [...labelsWithFilters].map((label) => [
      label,
      { ...shared?.filters?.[label], ...mine?.filters?.[label] },
    ]),
  );
  return {
    ...(track ? { objects: track } : {}),
    ...(labelsWithFilters.size > 0 ? { objectFilters: filters } : {}),
  };
}
