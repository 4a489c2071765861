import type { SnapshotOptions } from '@rxvision/sinks';
import { z } from 'zod';
import { about, flag, number } from './fields.js';

const snapshotKeys = z
  .strictObject({
    enabled: flag()
      .default(true)
      .meta(about('`false`: no snapshot JPEGs for this camera', 'Frigate `snapshots.enabled`')),
    quality: number({ min: 1, max: 100, integer: true })
      .optional()
      .meta(about('JPEG quality (default 70)', 'Frigate `snapshots.quality`')),
    height: number({ min: 16, max: 4320, integer: true })
      .optional()
      .meta(
        about('resize to this height, keeping aspect (default as captured)', 'Frigate `snapshots.height`'),
      ),
    crop: flag()
      .optional()
      .meta(about('crop to the object with a margin (default true)', 'Frigate `snapshots.crop`')),
    bounding_box: flag()
      .optional()
      .meta(about("draw the object's box (default true)", 'Frigate `snapshots.bounding_box`')),
    max_bytes: number({ min: 1024, max: 16_777_216, integer: true })
      .optional()
      .meta(
        about('largest JPEG published; larger ones are re-encoded smaller, then dropped (default 262144)'),
      ),
  })
  .meta(about('snapshot settings'));

/** `cameras.<id>.snapshots`: the JPEG of each object's best moment on `<prefix>/<camera>/<label>/snapshot`. */
export const snapshotsField = z
  .union([z.boolean(), snapshotKeys])
  .meta(
    about(
      '`false`, or `{ quality, height, crop, bounding_box, max_bytes }`: JPEGs on `<prefix>/<camera>/<label>/snapshot`',
      'Frigate `snapshots`',
    ),
  )
  .default(true)
  .transform((s): SnapshotOptions | false => {
    if (typeof s === 'boolean') return s ? {} : false;
    if (!s.enabled) return false;
    return {
      ...(s.quality !== undefined ? { quality: s.quality } : {}),
      ...(s.height !== undefined ? { height: s.height } : {}),
      ...(s.crop !== undefined ? { crop: s.crop } : {}),
      ...(s.bounding_box !== undefined ? { boundingBox: s.bounding_box } : {}),
      ...(s.max_bytes !== undefined ? { maxBytes: s.max_bytes } : {}),
    };
  });
