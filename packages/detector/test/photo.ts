import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Frame } from '@rxvision/decode';
import { letterbox } from '@rxvision/decode';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';

async function ffmpegRgb(path: string, filter: string | undefined): Promise<Uint8Array> {
  const args = ['-v', 'error', '-i', path, '-frames:v', '1'];
  if (filter) args.push('-vf', filter);
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const raw = await run(FFMPEG, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return new Uint8Array(raw.stdout.buffer, raw.stdout.byteOffset, raw.stdout.byteLength);
}

/**
 * Decodes a still photo to an rgb24 `Frame` with Debian's ffmpeg; with `modelInput`, also the
 * FFmpeg-letterboxed copy the decode node makes (scale bilinear + grey-114 pad). The decode
 * package's `readImage` replaces this once it lands.
 */
export async function readPhoto(
  path: string,
  options: { streamId?: string; modelInput?: number } = {},
): Promise<Frame> {
  const probe = await run('/usr/bin/ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    path,
  ]);
  const [width, height] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const data = await ffmpegRgb(path, undefined);
  if (data.length !== width * height * 3)
    throw new Error(`${path}: got ${data.length} bytes for ${width}x${height}`);
  const frame: Frame = {
    streamId: options.streamId ?? path,
    seq: 0,
    pts: 0,
    capturedAt: 0,
    width,
    height,
    format: 'rgb24',
    data,
  };
  if (!options.modelInput) return frame;
  const size = options.modelInput;
  const box = letterbox(width, height, size, size);
  const filter = `scale=${box.resizedWidth}:${box.resizedHeight}:flags=bilinear,pad=${size}:${size}:${box.padLeft}:${box.padTop}:color=0x727272`;
  const model = await ffmpegRgb(path, filter);
  return {
    ...frame,
    modelInput: { width: size, height: size, format: 'rgb24', data: model, letterbox: box },
  };
}

export interface ReferenceLine {
  readonly source: string;
  readonly width: number;
  readonly height: number;
  readonly detections: readonly { bbox: number[]; score: number; classId: number; label: string }[];
}
