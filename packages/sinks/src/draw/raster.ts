import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphColumns } from './font5x7.js';

/** Packed RGB pixels (rgb24), row-major, no padding. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type Rgb = readonly [r: number, g: number, b: number];

/** Fills `[x1, x2) × [y1, y2)`, clipped to the image: one row by hand, the others copied. */
export function fillRect(image: RgbImage, x1: number, y1: number, x2: number, y2: number, color: Rgb): void {
  const left = Math.max(0, Math.floor(x1));
  const top = Math.max(0, Math.floor(y1));
  const right = Math.min(image.width, Math.ceil(x2));
  const bottom = Math.min(image.height, Math.ceil(y2));
  if (left >= right || top >= bottom) return;
  const { data, width } = image;
  const rowStart = (top * width + left) * 3;
  const rowEnd = (top * width + right) * 3;
  for (let i = rowStart; i < rowEnd; i += 3) {
    data[i] = color[0];
    data[i + 1] = color[1];
    data[i + 2] = color[2];
  }
  for (let y = top + 1; y < bottom; y++) data.copyWithin((y * width + left) * 3, rowStart, rowEnd);
}

/** A rectangle outline `thickness` pixels wide, inside the box. */
export function strokeRect(
  image: RgbImage,
  box: readonly [number, number, number, number],
  thickness: number,
  color: Rgb,
): void {
  const [x1, y1, x2, y2] = box;
  fillRect(image, x1, y1, x2, y1 + thickness, color);
  fillRect(image, x1, y2 - thickness, x2, y2, color);
  fillRect(image, x1, y1, x1 + thickness, y2, color);
  fillRect(image, x2 - thickness, y1, x2, y2, color);
}

/** A straight segment drawn with a square brush (Bresenham). */
export function drawLine(
  image: RgbImage,
  from: readonly [number, number],
  to: readonly [number, number],
  thickness: number,
  color: Rgb,
): void {
  let x = Math.round(from[0]);
  let y = Math.round(from[1]);
  const x1 = Math.round(to[0]);
  const y1 = Math.round(to[1]);
  const dx = Math.abs(x1 - x);
  const dy = -Math.abs(y1 - y);
  const sx = x < x1 ? 1 : -1;
  const sy = y < y1 ? 1 : -1;
  const half = Math.floor(thickness / 2);
  let err = dx + dy;
  for (;;) {
    fillRect(image, x - half, y - half, x - half + thickness, y - half + thickness, color);
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** A closed polygon outline. */
export function drawPolygon(
  image: RgbImage,
  points: ReadonlyArray<readonly [number, number]>,
  thickness: number,
  color: Rgb,
): void {
  for (let i = 0; i < points.length; i++) {
    drawLine(image, points[i]!, points[(i + 1) % points.length]!, thickness, color);
  }
}

/** Width and height in pixels of `text` drawn at `scale`, one pixel of padding around. */
export function textSize(text: string, scale: number): [number, number] {
  return [(text.length * (GLYPH_WIDTH + 1) + 1) * scale, (GLYPH_HEIGHT + 2) * scale];
}

/** Draws `text` with its top-left corner at (x, y) on a filled background. */
export function drawText(
  image: RgbImage,
  x: number,
  y: number,
  text: string,
  scale: number,
  color: Rgb,
  background: Rgb,
): void {
  const [w, h] = textSize(text, scale);
  fillRect(image, x, y, x + w, y + h, background);
  for (let i = 0; i < text.length; i++) {
    const columns = glyphColumns(text[i]!);
    const gx = x + (1 + i * (GLYPH_WIDTH + 1)) * scale;
    for (let c = 0; c < GLYPH_WIDTH; c++) {
      const bits = columns[c]!;
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        if (bits & (1 << r)) {
          const px = gx + c * scale;
          const py = y + (1 + r) * scale;
          fillRect(image, px, py, px + scale, py + scale, color);
        }
      }
    }
  }
}

/** A copy of the region `[x1, x2) × [y1, y2)`, clipped to the image. */
export function cropRgb(image: RgbImage, x1: number, y1: number, x2: number, y2: number): RgbImage {
  const left = Math.max(0, Math.floor(x1));
  const top = Math.max(0, Math.floor(y1));
  const right = Math.min(image.width, Math.ceil(x2));
  const bottom = Math.min(image.height, Math.ceil(y2));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height && top + y < image.height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    data.set(image.data.subarray(from, from + Math.max(0, right - left) * 3), y * width * 3);
  }
  return { width, height, data };
}
