import type { Track } from '@rxvision/tracker';
import type { Rgb } from './color.js';
import { drawLine, drawPolygon, drawText, type Picture, strokeRect, textSize } from './raster.js';

/** A zone polygon in source pixels (Frigate `zones.<name>.coordinates`). */
export interface AnnotationZone {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** A counting line in source pixels (two or more points). */
export interface AnnotationLine {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface AnnotateOptions {
  readonly zones?: readonly AnnotationZone[];
  readonly lines?: readonly AnnotationLine[];
  /** Box line width in pixels; default scales with the frame (2 px at 640 wide). */
  readonly thickness?: number;
  /** Text pixel size multiplier; default scales with the frame. */
  readonly fontScale?: number;
}

// Distinct, saturated colours that stay readable over video; indexed by class id.
const PALETTE: readonly Rgb[] = [
  [255, 56, 56],
  [255, 157, 151],
  [255, 112, 31],
  [255, 178, 29],
  [207, 210, 49],
  [72, 249, 10],
  [146, 204, 23],
  [61, 219, 134],
  [26, 147, 52],
  [0, 212, 187],
  [44, 153, 168],
  [0, 194, 255],
  [52, 69, 147],
  [100, 115, 255],
  [0, 24, 236],
  [132, 56, 255],
  [82, 0, 133],
  [203, 56, 255],
  [255, 149, 200],
  [255, 55, 199],
];
const ZONE_COLOR: Rgb = [255, 255, 0];
const LINE_COLOR: Rgb = [0, 255, 255];
const BLACK: Rgb = [0, 0, 0];

export function labelColor(classId: number): Rgb {
  return PALETTE[Math.abs(classId) % PALETTE.length]!;
}

/** Draws zones, lines, and each track's box with `#id label score%`, in place. */
export function annotate(image: Picture, tracks: readonly Track[], options: AnnotateOptions = {}): void {
  const unit = Math.max(1, Math.round(image.width / 640));
  const thickness = options.thickness ?? 2 * unit;
  const scale = options.fontScale ?? unit;
  for (const zone of options.zones ?? []) {
    drawPolygon(image, zone.points, thickness, ZONE_COLOR);
    const [x, y] = zone.points[0] ?? [0, 0];
    drawText(image, x, y, zone.name, scale, BLACK, ZONE_COLOR);
  }
  for (const line of options.lines ?? []) {
    for (let i = 0; i + 1 < line.points.length; i++) {
      drawLine(image, line.points[i]!, line.points[i + 1]!, thickness, LINE_COLOR);
    }
    const [x, y] = line.points[0] ?? [0, 0];
    drawText(image, x, y, line.name, scale, BLACK, LINE_COLOR);
  }
  for (const track of tracks) {
    const color = labelColor(track.classId);
    strokeRect(image, track.bbox, thickness, color);
    const text = `#${track.trackId} ${track.label} ${Math.round(track.score * 100)}%`;
    const [, h] = textSize(text, scale);
    const [x1, y1] = track.bbox;
    // Above the box when there is room, else just inside its top edge.
    drawText(image, x1, y1 - h >= 0 ? y1 - h : y1, text, scale, BLACK, color);
  }
}
