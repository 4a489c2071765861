/** The YAML block a drawn zone or line becomes, to paste under the camera in the agent's config. */

export type AreaKind = 'zone' | 'line';
export type Units = 'pixels' | 'fractions';

export interface DrawnArea {
  readonly kind: AreaKind;
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/**
 * `cameras.<camera>.zones|lines.<name>.coordinates: x1,y1,…`: whole source pixels (what rxvision
 * reads), or fractions of the frame with 3 decimals (Frigate 0.14's relative coordinates).
 */
export function areaYaml(
  camera: string,
  area: DrawnArea,
  units: Units,
  frame: { readonly width: number; readonly height: number },
): string {
  const numbers = areaPoints(area.points, units, frame).flat();
  return [
    'cameras:',
    `  ${camera}:`,
    `    ${area.kind === 'zone' ? 'zones' : 'lines'}:`,
    `      ${area.name}:`,
    `        coordinates: ${numbers.join(',')}`,
  ].join('\n');
}

/** The points as the config takes them: whole source pixels, or fractions of the frame with 3 decimals. */
export function areaPoints(
  points: DrawnArea['points'],
  units: Units,
  frame: { readonly width: number; readonly height: number },
): [number, number][] {
  return points.map(([x, y]): [number, number] =>
    units === 'pixels'
      ? [Math.round(x), Math.round(y)]
      : [fraction(x / frame.width), fraction(y / frame.height)],
  );
}

function fraction(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

/**
 * The arrow showing a line's `in` direction: a track counts `in` when it moves to the right of
 * from→to as drawn on the image (y down, the tracker's `sideOf` +1), so the arrow points that way.
 */
export function inArrow(
  from: readonly [number, number],
  to: readonly [number, number],
  length: number,
): { tail: [number, number]; head: [number, number] } {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const norm = Math.hypot(dx, dy) || 1;
  const mid: [number, number] = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
  const n: [number, number] = [(-dy / norm) * length, (dx / norm) * length];
  return { tail: [mid[0] - n[0], mid[1] - n[1]], head: [mid[0] + n[0], mid[1] + n[1]] };
}
