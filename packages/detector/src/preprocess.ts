import type { Frame, Letterbox } from '@rxvision/decode';
import { letterbox } from '@rxvision/decode';
import { floatToHalf } from './float16.js';

/** Model input of one element type: planar float32 values or float16 bits, or (wrapped models) RGB bytes. */
export type InputBuffer = Float32Array | Uint16Array | Uint8Array;

/** Byte value → model value (`v / 255`, as float32 or float16 bits): one table lookup per channel. */
export type PixelTable = Float32Array | Uint16Array;

export function pixelTable(type: 'float32' | 'float16'): PixelTable {
  if (type === 'float32') return Float32Array.from({ length: 256 }, (_, v) => v / 255);
  return Uint16Array.from({ length: 256 }, (_, v) => floatToHalf(v / 255));
}

/** The YOLOv7 letterbox padding colour. */
export const PAD_VALUE = 114;

/**
 * Writes one frame into image slot `index` of a planar NCHW batch buffer and returns the letterbox
 * geometry to map boxes back. Uses the FFmpeg-made `modelInput` when its size matches, else
 * letterboxes the full frame here.
 */
export function writeFrame(
  frame: Frame,
  dst: InputBuffer,
  index: number,
  width: number,
  height: number,
  table: PixelTable,
): Letterbox {
  const model = frame.modelInput;
  if (model && model.width === width && model.height === height && model.format === 'rgb24') {
    hwcToPlanar(model.data, dst, index * 3 * width * height, width * height, table);
    return model.letterbox;
  }
  const box = letterbox(frame.width, frame.height, width, height);
  letterboxToPlanar(frame.data, box, dst, index * 3 * width * height, table);
  return box;
}

/**
 * Writes one frame's RGB letterbox bytes into image slot `index` of an NHWC uint8 batch (a wrapped
 * model's input) and returns the letterbox geometry. FFmpeg's `modelInput` is copied as it is (one
 * `set`, no per-pixel work); a frame without one is letterboxed here.
 */
export function writeFrameBytes(
  frame: Frame,
  dst: Uint8Array,
  index: number,
  width: number,
  height: number,
): Letterbox {
  const model = frame.modelInput;
  const offset = index * 3 * width * height;
  if (model && model.width === width && model.height === height && model.format === 'rgb24') {
    dst.set(model.data.subarray(0, 3 * width * height), offset);
    return model.letterbox;
  }
  const box = letterbox(frame.width, frame.height, width, height);
  letterboxToRgb(frame.data, box, dst, offset);
  return box;
}

/** Packed RGB bytes → three planes, scaled by the table, in one pass. */
export function hwcToPlanar(
  src: Uint8Array,
  dst: InputBuffer,
  offset: number,
  pixels: number,
  table: PixelTable,
): void {
  const g = offset + pixels;
  const b = g + pixels;
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    dst[offset + i] = table[src[j]!]!;
    dst[g + i] = table[src[j + 1]!]!;
    dst[b + i] = table[src[j + 2]!]!;
  }
}

/** Per output pixel: first source index, tap count and weights (stride `maxTaps`). */
interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly maxTaps: number;
}

const tapCache = new Map<string, Taps>();

/**
 * Triangle-filter taps, widened by the shrink ratio when downscaling: bilinear that averages
 * instead of skipping pixels, as FFmpeg's `scale=flags=bilinear` (the decode node's letterbox)
 * does, so both preprocessing paths see nearly the same image.
 */
function taps(srcSize: number, dstSize: number): Taps {
  const key = `${srcSize}>${dstSize}`;
  const cached = tapCache.get(key);
  if (cached) return cached;
  const ratio = srcSize / dstSize;
  const support = Math.max(ratio, 1);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * maxTaps);
  for (let d = 0; d < dstSize; d++) {
    const centre = (d + 0.5) * ratio;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(srcSize, Math.ceil(centre + support));
    let total = 0;
    let n = 0;
    for (let s = lo; s < hi && n < maxTaps; s++, n++) {
      const w = Math.max(0, 1 - Math.abs((s + 0.5 - centre) / support));
      weights[d * maxTaps + n] = w;
      total += w;
    }
    for (let k = 0; k < n; k++) weights[d * maxTaps + k]! /= total || 1;
    start[d] = lo;
    count[d] = n;
  }
  const result = { start, count, weights, maxTaps };
  if (tapCache.size > 64) tapCache.clear();
  tapCache.set(key, result);
  return result;
}

let rowBuffer = new Float32Array(0);
let letterboxBytes = new Uint8Array(0);

/** Letterboxes packed RGB (see `letterboxToRgb`) into planar model input through the pixel table. */
export function letterboxToPlanar(
  src: Uint8Array,
  box: Letterbox,
  dst: InputBuffer,
  offset: number,
  table: PixelTable,
): void {
  const pixels = box.dstWidth * box.dstHeight;
  if (letterboxBytes.length < pixels * 3) letterboxBytes = new Uint8Array(pixels * 3);
  letterboxToRgb(src, box, letterboxBytes, 0);
  hwcToPlanar(letterboxBytes, dst, offset, pixels, table);
}

/**
 * Letterboxes packed RGB into packed RGB bytes at `offset`: grey-114 padding, a separable resize
 * (horizontal pass into a reused float buffer, vertical pass rounded to bytes like a scaler would).
 */
export function letterboxToRgb(src: Uint8Array, box: Letterbox, dst: Uint8Array, offset: number): void {
  const {
    dstWidth: w,
    dstHeight: h,
    srcWidth,
    srcHeight,
    padLeft,
    padTop,
    resizedWidth: rw,
    resizedHeight: rh,
  } = box;
  dst.fill(PAD_VALUE, offset, offset + 3 * w * h);
  const xs = taps(srcWidth, rw);
  const ys = taps(srcHeight, rh);
  if (rowBuffer.length < srcHeight * rw * 3) rowBuffer = new Float32Array(srcHeight * rw * 3);
  const rows = rowBuffer;
  // Only the source rows some output row reads.
  const firstRow = ys.start[0]!;
  const lastRow = ys.start[rh - 1]! + ys.count[rh - 1]!;
  for (let y = firstRow; y < lastRow; y++) {
    const srcRow = y * srcWidth * 3;
    const outRow = y * rw * 3;
    for (let x = 0; x < rw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const n = xs.count[x]!;
      const t = x * xs.maxTaps;
      let p = srcRow + xs.start[x]! * 3;
      for (let k = 0; k < n; k++, p += 3) {
        const wk = xs.weights[t + k]!;
        r += src[p]! * wk;
        g += src[p + 1]! * wk;
        b += src[p + 2]! * wk;
      }
      const o = outRow + x * 3;
      rows[o] = r;
      rows[o + 1] = g;
      rows[o + 2] = b;
    }
  }
  const stride = rw * 3;
  for (let y = 0; y < rh; y++) {
    const n = ys.count[y]!;
    const t = y * ys.maxTaps;
    const first = ys.start[y]! * stride;
    let o = offset + ((y + padTop) * w + padLeft) * 3;
    for (let x = 0; x < rw; x++, o += 3) {
      let r = 0;
      let g = 0;
      let b = 0;
      let p = first + x * 3;
      for (let k = 0; k < n; k++, p += stride) {
        const wk = ys.weights[t + k]!;
        r += rows[p]! * wk;
        g += rows[p + 1]! * wk;
        b += rows[p + 2]! * wk;
      }
      dst[o] = clampByte(r);
      dst[o + 1] = clampByte(g);
      dst[o + 2] = clampByte(b);
    }
  }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
}
