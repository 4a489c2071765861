import { type Frame, readImage } from '@rxvision/decode';

/** Reads a shared photo the way the CLI does: the decode node's `readImage`, optionally with its FFmpeg-letterboxed model input. */
export function readPhoto(
  path: string,
  options: { streamId?: string; modelInput?: number } = {},
): Promise<Frame> {
  const size = options.modelInput;
  return readImage(path, {
    streamId: options.streamId ?? path,
    ...(size ? { modelInput: { width: size, height: size } } : {}),
  });
}

/** One line of `reference-detections.jsonl` (the `edge-agent detect` output shape). */
export interface ReferenceLine {
  readonly source: string;
  readonly width: number;
  readonly height: number;
  readonly detections: readonly { bbox: number[]; score: number; classId: number; label: string }[];
}
