import { resolveFfmpegPath, spawnFfmpeg } from '@rxvision/decode';
import type { Track } from '@rxvision/tracker';
import { type AnnotateOptions, annotate } from '../draw/annotate.js';
import type { Picture } from '../draw/raster.js';
import { TaskLimit } from './task-limit.js';

/**
 * Snapshot encoders running at once in this process, whatever the number of cameras: a crowd
 * appearing on several cameras must not fork an FFmpeg per person on an edge box's few cores.
 */
export const snapshotEncoders = new TaskLimit(2, 64);

export interface SnapshotOptions {
  /** Largest JPEG published, in bytes; larger ones are re-encoded smaller, then dropped and counted. Default 256 KiB. */
  readonly maxBytes?: number;
  /** JPEG quality 1–100 (Frigate `snapshots.quality`). Default 70. */
  readonly quality?: number;
  /** Resize to this height in pixels, keeping aspect (Frigate `snapshots.height`). Default: as captured. */
  readonly height?: number;
  /** Crop to the object with a margin (Frigate `snapshots.crop`). Default true: keeps memory per track small. */
  readonly crop?: boolean;
  /** Draw the object's box (Frigate `snapshots.bounding_box`). Default true. */
  readonly boundingBox?: boolean;
}

/**
 * Encodes a picture to one JPEG with FFmpeg's mjpeg encoder. YUV goes in as it is (only its range
 * is widened to JPEG's full range); RGB is converted.
 */
export async function encodeJpeg(
  image: Picture,
  ffmpegPath: string,
  quality: number,
  height?: number,
): Promise<Buffer> {
  // FFmpeg's mjpeg `-q:v` runs 2 (best) … 31 (worst).
  const q = Math.round(2 + ((100 - Math.min(100, Math.max(1, quality))) * 29) / 99);
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', image.format];
  args.push('-s', `${image.width}x${image.height}`, '-i', 'pipe:0', '-frames:v', '1');
  if (height !== undefined && height < image.height)
    args.push('-vf', `scale=-2:${Math.max(2, Math.round(height))}`);
  args.push('-pix_fmt', 'yuvj420p', '-q:v', String(q), '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1');
  return ffmpegFilter(args, image.data, ffmpegPath);
}

/** Frigate's thumbnail height in pixels. */
export const THUMBNAIL_HEIGHT = 175;

/**
 * A JPEG scaled down to at most `height` pixels high (Frigate's event thumbnails), under
 * `snapshotEncoders`; `skipped` when 64 encodes already wait.
 */
export async function thumbnailJpeg(
  jpeg: Buffer,
  height = THUMBNAIL_HEIGHT,
  ffmpegPath = resolveFfmpegPath(),
): Promise<Buffer | 'skipped'> {
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0'];
  // Quoted so the comma stays inside min(); never scales up.
  args.push('-frames:v', '1', '-vf', `scale=-2:'min(ih,${Math.round(height)})'`, '-q:v', '5');
  args.push('-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1');
  return (await snapshotEncoders.run(() => ffmpegFilter(args, jpeg, ffmpegPath))) ?? 'skipped';
}

/** Runs FFmpeg with `input` on stdin and resolves what it wrote to stdout. */
async function ffmpegFilter(args: readonly string[], input: Uint8Array, ffmpegPath: string): Promise<Buffer> {
  const run = spawnFfmpeg(args, { ffmpegPath, stdin: true });
  const out: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  run.stdin?.end(input);
  const { spawnFailed, error, code, stderrTail } = await run.ended;
  if (spawnFailed) throw new Error(`snapshot: cannot run ffmpeg (${run.binary}): ${error?.message}`);
  if (code === 0 && out.length > 0) return Buffer.concat(out);
  throw new Error(`snapshot: ffmpeg exited with ${code}: ${stderrTail.slice(-500)}`);
}

/**
 * A JPEG no larger than `maxBytes`: tries the configured quality, then lower quality and smaller
 * sizes; undefined when even the smallest try is too large. Runs under `snapshotEncoders`; `skipped`
 * when 64 snapshots already wait for an encoder.
 */
export async function boundedJpeg(
  image: Picture,
  ffmpegPath: string,
  options: Required<Pick<SnapshotOptions, 'maxBytes' | 'quality'>> & Pick<SnapshotOptions, 'height'>,
): Promise<Buffer | 'skipped' | undefined> {
  let ran = false;
  const jpeg = await snapshotEncoders.run(async () => {
    ran = true;
    return shrinkToFit(image, ffmpegPath, options);
  });
  return ran ? jpeg : 'skipped';
}

async function shrinkToFit(
  image: Picture,
  ffmpegPath: string,
  options: Required<Pick<SnapshotOptions, 'maxBytes' | 'quality'>> & Pick<SnapshotOptions, 'height'>,
): Promise<Buffer | undefined> {
  let quality = options.quality;
  let height = options.height ?? image.height;
  for (let attempt = 0; attempt < 4; attempt++) {
    const jpeg = await encodeJpeg(image, ffmpegPath, quality, height);
    if (jpeg.length <= options.maxBytes) return jpeg;
    quality = Math.max(5, quality - 25);
    height = Math.max(16, Math.round(height * 0.6));
  }
  return undefined;
}

/** What `frameJpeg` draws and how it encodes. */
export interface FrameJpegOptions {
  /** JPEG quality 1–100. Default 70. */
  readonly quality?: number;
  /** Resize to this height in pixels, keeping aspect. Default: as captured. */
  readonly height?: number;
  /** Draw these tracks (and zones, lines) on a copy of the frame first. */
  readonly annotate?: { readonly tracks: readonly Track[]; readonly options?: AnnotateOptions };
}

/**
 * A whole picture as one JPEG (Frigate's `/api/<camera>/latest.jpg`), annotated on a copy when
 * asked. Runs under `snapshotEncoders`; `skipped` when 64 encodes already wait.
 */
export async function frameJpeg(
  image: Picture,
  options: FrameJpegOptions = {},
  ffmpegPath = resolveFfmpegPath(),
): Promise<Buffer | 'skipped'> {
  let source = image;
  if (options.annotate) {
    source = { ...image, data: image.data.slice() };
    annotate(source, options.annotate.tracks, options.annotate.options);
  }
  const jpeg = await snapshotEncoders.run(() =>
    encodeJpeg(source, ffmpegPath, options.quality ?? 70, options.height),
  );
  return jpeg ?? 'skipped';
}
