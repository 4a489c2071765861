/** A colour as red, green, blue bytes. */
export type Rgb = readonly [r: number, g: number, b: number];

/** A colour as the video's Y, Cb, Cr bytes. */
export type Yuv = readonly [y: number, u: number, v: number];

const cache = new Map<string, Yuv>();

/**
 * BT.601 limited range, the matrix FFmpeg's swscale and libx264 assume for SD/HD camera YUV
 * without colour tags: drawing in it matches what the encoder shows for the same RGB.
 */
export function rgbToYuv(color: Rgb): Yuv {
  const key = color.join(',');
  let yuv = cache.get(key);
  if (!yuv) {
    const [r, g, b] = color;
    const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
    yuv = [
      clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255),
      clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255),
      clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255),
    ];
    cache.set(key, yuv);
  }
  return yuv;
}
