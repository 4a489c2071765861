import { type Point, parsePoints } from '@rxvision/tracker';
import { z } from 'zod';
import { about, always, labels, NAME, nameKey, number, problem, type Refinement } from './fields.js';

const HINT =
  'write `coordinates: x1,y1,x2,y2,…` in source pixels, or as fractions of the frame (every value 0–1, as Frigate 0.14+ writes them)';

const numbers = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));

/**
 * Frigate writes polygons as `x1,y1,x2,y2,…` or as a list of `"x,y"` strings; a YAML list of numbers
 * or of `[x, y]` pairs works too.
 * Every value ≤ 1 means fractions of the frame (Frigate 0.14+), else source pixels.
 */
const coordinates = z
  .union([z.string(), z.array(z.union([z.number(), z.tuple([z.number(), z.number()]), z.string()]))])
  .meta(
    about(
      'points `x1,y1,x2,y2,…`, `["x,y", …]` or `[[x, y], …]`: in source pixels, or fractions of the frame when every value is ≤ 1',
      'Frigate `zones.<name>.coordinates` (relative since 0.14)',
    ),
  )
  .transform((raw, ctx): Point[] => {
    const flat =
      typeof raw === 'string'
        ? numbers(raw)
        : raw.flatMap((item) => (typeof item === 'string' ? numbers(item) : item));
    if (flat.length === 0 || flat.length % 2 !== 0 || flat.some((n) => !Number.isFinite(n) || n < 0)) {
      problem(ctx, 'expected an even number of non-negative numbers', HINT);
      return z.NEVER;
    }
    // The tracker's own reader, so what passes here is what the tracker builds.
    return parsePoints(flat.join(','), 'coordinates', 0);
  });

const areaKeys = {
  coordinates,
  inertia: number({ min: 1, max: 1000, integer: true })
    .optional()
    .meta(
      about(
        'consecutive frames on the new side before it counts (default 3)',
        'Frigate `zones.<name>.inertia`',
      ),
    ),
  objects: labels()
    .optional()
    .meta(about('labels it cares about (default all)', 'Frigate `zones.<name>.objects`')),
};

/** Coordinates all within 0–1 are fractions of the frame; the camera pipeline scales them to its first frame. */
export function isRelative(points: readonly Point[]): boolean {
  return points.every(([x, y]) => x <= 1 && y <= 1);
}

function markRelative<T extends { readonly coordinates: Point[] }>(
  area: T,
): T & { readonly relative: boolean } {
  return { ...area, relative: isRelative(area.coordinates) };
}

const zone = z
  .strictObject({
    ...areaKeys,
    loitering_time: number({ min: 0, max: 86400 })
      .optional()
      .meta(
        about(
          'seconds an object must stay inside before it counts as loitering (default 0: never)',
          'Frigate `zones.<name>.loitering_time`',
        ),
      ),
  })
  .meta(
    about(
      'a polygon: enter/exit events and per-zone counts',
      'Frigate `zones.<name>`; DeepStream `nvdsanalytics` ROI',
    ),
  )
  .superRefine((z, ctx) => {
    if (Array.isArray(z.coordinates) && z.coordinates.length < 3 && z.coordinates.every(Array.isArray))
      problem(
        ctx,
        `a zone needs at least 3 points, got ${z.coordinates.length}`,
        'list the polygon corners: `coordinates: 0,0,100,0,100,100,0,100`',
        ['coordinates'],
      );
  })
  .transform(({ loitering_time, ...rest }) =>
    markRelative({ ...rest, ...(loitering_time !== undefined ? { loiteringTime: loitering_time } : {}) }),
  );

const line = z
  .strictObject({
    ...areaKeys,
    deadband: number({ min: 0, max: 1 })
      .optional()
      .meta(about('anchors nearer the line than this fraction of the box height are ignored (default 0.05)')),
  })
  .meta(
    about(
      'a counting line: directional crossings counted in/out',
      'DeepStream `nvdsanalytics` line crossing',
    ),
  )
  .superRefine((l, ctx) => {
    const points = l.coordinates;
    if (!Array.isArray(points) || !points.every(Array.isArray)) return;
    if (points.length !== 2)
      problem(
        ctx,
        `a line needs exactly 2 points, got ${points.length}`,
        'write `coordinates: x1,y1,x2,y2`',
        ['coordinates'],
      );
    else if (points[0]?.[0] === points[1]?.[0] && points[0]?.[1] === points[1]?.[1])
      problem(ctx, 'its two points are the same', 'give two different points: `coordinates: x1,y1,x2,y2`', [
        'coordinates',
      ]);
  })
  .transform(markRelative);

/** Zone and line names become MQTT topic levels (Frigate `<prefix>/<zone>/<label>`). */
function checkNames(what: 'zone' | 'line') {
  return (areas: Record<string, unknown>, ctx: Refinement) => {
    for (const name of Object.keys(areas))
      if (!NAME.test(name))
        problem(
          ctx,
          `${what} names may use letters, digits, \`_\` and \`-\` only (they become MQTT topics)`,
          `rename it, e.g. \`${name.replace(/[^A-Za-z0-9_-]/g, '_') || what}\``,
          [name],
        );
  };
}

function named<T>(areas: Record<string, T>): Array<T & { readonly name: string }> {
  return Object.entries(areas).map(([name, area]) => ({ name, ...area }));
}

/** Area name → settings, checked for names that break topics, as the list of named areas the tracker takes. */
function areas<T extends z.ZodType>(what: 'zone' | 'line', area: T, meaning: string, equivalent: string) {
  return z
    .record(nameKey, area)
    .meta(about(meaning, equivalent))
    .superRefine(checkNames(what), always)
    .transform(named)
    .prefault({});
}

/** `cameras.<id>.zones`: zone name → polygon, each the tracker's own `ZoneOptions` with its name. */
export const zonesField = areas('zone', zone, 'zone name → polygon', 'Frigate `zones`');

/** `cameras.<id>.lines`: line name → two points, each the tracker's own `LineOptions` with its name. */
export const linesField = areas(
  'line',
  line,
  'line name → two points',
  'DeepStream `nvdsanalytics` line crossing',
);

/**
 * One zone of a camera: the tracker's `ZoneOptions` keys (parsed points) with its name, and whether
 * its points are fractions of the frame (`relative`), which the camera pipeline turns into pixels.
 */
export type CameraZone = z.output<typeof zonesField>[number];
/** One counting line of a camera: the tracker's `LineOptions` keys (parsed points) with its name and `relative`. */
export type CameraLine = z.output<typeof linesField>[number];
