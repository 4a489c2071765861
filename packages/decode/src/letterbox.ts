import type { Letterbox } from './frame.js';

/**
 * YOLOv7 `letterbox()` geometry: scale to fit keeping aspect, pad the rest evenly with grey.
 * Rounding follows YOLOv7 (`round(dw - 0.1)` left/top) so boxes map back to the same pixels.
 */
export function letterbox(
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Letterbox {
  if (!(srcWidth > 0 && srcHeight > 0 && dstWidth > 0 && dstHeight > 0)) {
    throw new RangeError(
      `letterbox needs positive sizes, got ${srcWidth}x${srcHeight} → ${dstWidth}x${dstHeight}`,
    );
  }
  const scale = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  const resizedWidth = Math.round(srcWidth * scale);
  const resizedHeight = Math.round(srcHeight * scale);
  const padLeft = Math.max(0, Math.round((dstWidth - resizedWidth) / 2 - 0.1));
  const padTop = Math.max(0, Math.round((dstHeight - resizedHeight) / 2 - 0.1));
  return { srcWidth, srcHeight, dstWidth, dstHeight, scale, resizedWidth, resizedHeight, padLeft, padTop };
}

/** Maps a point from model-input pixels back to source pixels, clamped to the frame. */
export function unletterboxPoint(box: Letterbox, x: number, y: number): [number, number] {
  const sx = (x - box.padLeft) / box.scale;
  const sy = (y - box.padTop) / box.scale;
  return [Math.min(Math.max(sx, 0), box.srcWidth), Math.min(Math.max(sy, 0), box.srcHeight)];
}
