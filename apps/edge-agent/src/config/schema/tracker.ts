import { z } from 'zod';
import { about, number, optionalText } from './fields.js';

const unit = () => number({ min: 0, max: 1 });
const count = () => number({ min: 0, max: 100_000, integer: true });

const trackerKeys = {
  type: z
    .enum(['bytetrack', 'sort'])
    .meta(about('`bytetrack` or `sort` (default `bytetrack`)', 'DeepStream `ll-lib-file` (tracker choice)')),
  track_thresh: unit()
    .optional()
    .meta(about('ByteTrack high-score threshold (default 0.5)', 'ByteTrack `track_thresh`')),
  match_thresh: unit()
    .optional()
    .meta(about('ByteTrack first-stage match cost limit (default 0.8)', 'ByteTrack `match_thresh`')),
  track_buffer: count()
    .optional()
    .meta(
      about(
        'frames (at 30 fps) a lost track is kept (default 30)',
        'ByteTrack `track_buffer`; DeepStream `maxShadowTrackingAge`',
      ),
    ),
  max_age: count()
    .optional()
    .meta(about('SORT: frames without a detection before removal (default 1)', 'SORT `max_age`')),
  min_hits: count()
    .optional()
    .meta(
      about(
        'SORT: hits before a track is reported (default 3)',
        'SORT `min_hits`; DeepStream `probationAge`',
      ),
    ),
  iou_threshold: unit()
    .optional()
    .meta(about('SORT: minimum IoU to match (default 0.3)', 'SORT `iou_threshold`')),
  box: z
    .enum(['detection', 'filter'])
    .optional()
    .meta(
      about(
        "box a matched track publishes: the detector's (`detection`, default) or the Kalman filter's (`filter`); a coasting track always has the filter's",
        "Frigate publishes the detection's box",
      ),
    ),
  line_totals_file: optionalText().meta(
    about(
      'JSON file where line in/out totals are saved after each crossing and counted on from after a restart (default: totals start at 0)',
    ),
  ),
};

type TrackerKeys = z.output<z.ZodObject<typeof trackerKeys>>;

function camel(t: Partial<TrackerKeys>) {
  return {
    ...(t.type ? { type: t.type } : {}),
    ...(t.track_thresh !== undefined ? { trackThresh: t.track_thresh } : {}),
    ...(t.match_thresh !== undefined ? { matchThresh: t.match_thresh } : {}),
    ...(t.track_buffer !== undefined ? { trackBuffer: t.track_buffer } : {}),
    ...(t.max_age !== undefined ? { maxAge: t.max_age } : {}),
    ...(t.min_hits !== undefined ? { minHits: t.min_hits } : {}),
    ...(t.iou_threshold !== undefined ? { iouThreshold: t.iou_threshold } : {}),
    ...(t.box ? { box: t.box } : {}),
    ...(t.line_totals_file ? { lineTotalsFile: t.line_totals_file } : {}),
  };
}

/** `tracker`: defaults for every camera. */
export const trackerSection = z
  .strictObject({ ...trackerKeys, type: trackerKeys.type.default('bytetrack') })
  .meta(about('tracker settings'))
  .transform((t) => ({ ...camel(t), type: t.type }))
  .prefault({});

/** `cameras.<id>.tracker`: any tracker key, overriding the top-level one for this camera. */
export const trackerOverrides = z
  .strictObject({ ...trackerKeys, type: trackerKeys.type.optional() })
  .meta(about('tracker overrides for this camera'))
  .transform(camel);

/** The tracker settings of one camera. */
export type TrackerConfig = z.output<typeof trackerSection>;
