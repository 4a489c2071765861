import { type FrameImage, type Plane, pictureBytes, planesOf } from '@rxvision/decode';
import { type Rgb, rgbToYuv } from './color.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphColumns } from './font5x7.js';

/** A picture to draw on: packed rgb24, or the decoder's yuv420p / nv12 planes (see `planesOf`). */
export type Picture = FrameImage;

interface Span {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Fills `[left, right) × [top, bottom)` of one plane with a repeating `value` pattern: one row by hand, the others copied. */
function fillPlane(data: Uint8Array, plane: Plane, span: Span, value: readonly number[]): void {
  const n = value.length;
  const rowStart = plane.offset + span.top * plane.stride + span.left * n;
  const rowEnd = plane.offset + span.top * plane.stride + span.right * n;
  for (let i = rowStart; i < rowEnd; i += n) for (let c = 0; c < n; c++) data[i + c] = value[c]!;
  for (let y = span.top + 1; y < span.bottom; y++)
    data.copyWithin(rowStart + (y - span.top) * plane.stride, rowStart, rowEnd);
}

/**
 * Fills `[x1, x2) × [y1, y2)`, clipped to the picture. On YUV the luma is exact and the 4:2:0
 * chroma covers every 2×2 block the rectangle touches (chroma has even coordinates only); with
 * `chroma: false` only the luma is written (glyph pixels over a label background).
 */
export function fillRect(
  image: Picture,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: Rgb,
  chroma = true,
): void {
  const left = Math.max(0, Math.floor(x1));
  const top = Math.max(0, Math.floor(y1));
  const right = Math.min(image.width, Math.ceil(x2));
  const bottom = Math.min(image.height, Math.ceil(y2));
  if (left >= right || top >= bottom) return;
  const planes = planesOf(image.format, image.width, image.height);
  const span = { left, top, right, bottom };
  if (image.format === 'rgb24') {
    fillPlane(image.data, planes[0]!, span, color);
    return;
  }
  const [y, u, v] = rgbToYuv(color);
  fillPlane(image.data, planes[0]!, span, [y]);
  if (!chroma) return;
  const half = { left: left >> 1, top: top >> 1, right: (right + 1) >> 1, bottom: (bottom + 1) >> 1 };
  if (image.format === 'nv12') {
    fillPlane(image.data, planes[1]!, half, [u, v]);
    return;
  }
  fillPlane(image.data, planes[1]!, half, [u]);
  fillPlane(image.data, planes[2]!, half, [v]);
}

/** A rectangle outline `thickness` pixels wide, inside the box. */
export function strokeRect(
  image: Picture,
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
  image: Picture,
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
  image: Picture,
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
  image: Picture,
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
          fillRect(image, px, py, px + scale, py + scale, color, false);
        }
      }
    }
  }
}

/**
 * A copy of the region `[x1, x2) × [y1, y2)`, clipped to the picture, in its format, and where it
 * starts. On YUV the left and top edges move to even pixels so the chroma planes crop on whole samples.
 */
export function cropPicture(
  image: Picture,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): { readonly picture: Picture; readonly left: number; readonly top: number } {
  const even = image.format === 'rgb24' ? 1 : 2;
  const left = Math.max(0, Math.floor(x1 / even) * even);
  const top = Math.max(0, Math.floor(y1 / even) * even);
  const right = Math.min(image.width, Math.ceil(x2));
  const bottom = Math.min(image.height, Math.ceil(y2));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const from = planesOf(image.format, image.width, image.height);
  const to = planesOf(image.format, width, height);
  const data = new Uint8Array(pictureBytes(image.format, width, height));
  to.forEach((plane, p) => {
    const source = from[p]!;
    // Bytes per sample and subsampling of this plane relative to the luma.
    const sub = p === 0 ? 1 : 2;
    const bytesPerSample = image.format === 'rgb24' ? 3 : image.format === 'nv12' && p === 1 ? 2 : 1;
    const x0 = (left / sub) * bytesPerSample;
    const y0 = top / sub;
    const rowBytes = Math.min(plane.stride, Math.max(0, source.stride - x0));
    for (let y = 0; y < plane.rows && y0 + y < source.rows; y++) {
      const start = source.offset + (y0 + y) * source.stride + x0;
      data.set(image.data.subarray(start, start + rowBytes), plane.offset + y * plane.stride);
    }
  });
  return { picture: { width, height, format: image.format, data }, left, top };
}
