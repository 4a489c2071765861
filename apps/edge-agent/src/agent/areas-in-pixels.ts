import type { Point } from '@rxvision/tracker';
import { connect, type OperatorFunction, startWith, switchMap, take } from 'rxjs';
import type { CameraConfig } from '../config/types.js';

/** A camera's zones and lines. */
export type CameraAreas = Pick<CameraConfig, 'zones' | 'lines'>;

interface Area {
  readonly coordinates: Point[];
  readonly relative: boolean;
}

function toPixels<A extends Area>(area: A, width: number, height: number): A {
  if (!area.relative) return area;
  const coordinates = area.coordinates.map(([x, y]): Point => [x * width, y * height]);
  return { ...area, coordinates, relative: false };
}

/** The areas with relative (0–1) coordinates scaled to a `width` × `height` frame; pixel areas as they are. */
export function areasInPixels(areas: CameraAreas, width: number, height: number): CameraAreas {
  return {
    zones: areas.zones.map((zone) => toPixels(zone, width, height)),
    lines: areas.lines.map((line) => toPixels(line, width, height)),
  };
}

/**
 * Builds the part of a camera's pipeline that needs its areas in pixels: at once when every area
 * is in pixels, else at the first frame, whose size the relative areas are fractions of (Frigate's
 * detect frame; a camera's `width`/`height` when set).
 */
export function withAreasInPixels<F extends { readonly width: number; readonly height: number }, R>(
  areas: CameraAreas,
  build: (areas: CameraAreas) => OperatorFunction<F, R>,
): OperatorFunction<F, R> {
  if (![...areas.zones, ...areas.lines].some((area) => area.relative)) return build(areas);
  return connect((frames$) =>
    frames$.pipe(
      take(1),
      switchMap((first) =>
        frames$.pipe(startWith(first), build(areasInPixels(areas, first.width, first.height))),
      ),
    ),
  );
}
