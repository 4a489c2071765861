import type { PixelFormat } from './frame.js';

/** One plane of a raw picture: where it starts in the buffer, bytes per row, rows. */
export interface Plane {
  readonly offset: number;
  readonly stride: number;
  readonly rows: number;
}

/**
 * The planes of a raw picture as FFmpeg's rawvideo muxer writes it (no row padding). 4:2:0 chroma
 * is ceil(width / 2) × ceil(height / 2), so odd sizes keep their last column and row.
 */
export function planesOf(format: PixelFormat, width: number, height: number): readonly Plane[] {
  if (format === 'rgb24') return [{ offset: 0, stride: width * 3, rows: height }];
  const luma = width * height;
  const chromaWidth = Math.ceil(width / 2);
  const chromaRows = Math.ceil(height / 2);
  if (format === 'nv12') {
    return [
      { offset: 0, stride: width, rows: height },
      { offset: luma, stride: chromaWidth * 2, rows: chromaRows },
    ];
  }
  const chroma = chromaWidth * chromaRows;
  return [
    { offset: 0, stride: width, rows: height },
    { offset: luma, stride: chromaWidth, rows: chromaRows },
    { offset: luma + chroma, stride: chromaWidth, rows: chromaRows },
  ];
}

/** Bytes of one raw picture. */
export function pictureBytes(format: PixelFormat, width: number, height: number): number {
  const planes = planesOf(format, width, height);
  const last = planes[planes.length - 1]!;
  return last.offset + last.stride * last.rows;
}
