/** Where a letterboxed model input sits inside the source frame (YOLOv7 `letterbox()` geometry). */
export interface Letterbox {
  readonly srcWidth: number;
  readonly srcHeight: number;
  readonly dstWidth: number;
  readonly dstHeight: number;
  /** Source pixels are multiplied by this to land in the model input. */
  readonly scale: number;
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  readonly padLeft: number;
  readonly padTop: number;
}

/** The model-ready copy of a frame, letterboxed by FFmpeg at the detector's input size. */
export interface ModelInput {
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24';
  readonly data: Uint8Array;
  readonly letterbox: Letterbox;
}

/**
 * A raw picture's layout: `yuv420p` (software decode), `nv12` (hardware decoders' download), or
 * packed `rgb24` (only when a source asks for it, e.g. photos for the detector).
 */
export type PixelFormat = 'yuv420p' | 'nv12' | 'rgb24';

/** A full-resolution picture, its planes back to back as FFmpeg wrote them (see `planesOf`). */
export interface FrameImage {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly data: Uint8Array;
}

/**
 * One decoded video frame as it left FFmpeg: the full-resolution picture in `format` and, when the
 * source was opened with a `modelInput` size, the letterboxed model input. A source opened with
 * `fullFrame: false` delivers the model input alone: `format` is `'none'` and `data` is empty.
 */
export interface Frame {
  /** Camera id (`cameras.<id>` in the config). */
  readonly streamId: string;
  /** Frame counter for this camera; keeps counting across reconnects. */
  readonly seq: number;
  /** Presentation time in seconds from the source. */
  readonly pts: number;
  /** Wall-clock ms since the epoch when the frame left the decoder. */
  readonly capturedAt: number;
  /** Size of the full-resolution picture (also when it was not produced). */
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat | 'none';
  readonly data: Uint8Array;
  /** Present when the source was opened with a `modelInput` size. */
  readonly modelInput?: ModelInput;
}

/** The frame's full-resolution picture, or undefined when the source produced the model input alone. */
export function fullImage(frame: Frame): FrameImage | undefined {
  if (frame.format === 'none') return undefined;
  return { width: frame.width, height: frame.height, format: frame.format, data: frame.data };
}
