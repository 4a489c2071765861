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

/** One decoded video frame in packed RGB, as it left FFmpeg. */
export interface Frame {
  /** Camera id (`cameras.<id>` in the config). */
  readonly streamId: string;
  /** Frame counter for this camera; keeps counting across reconnects. */
  readonly seq: number;
  /** Presentation time in seconds from the source. */
  readonly pts: number;
  /** Wall-clock ms since the epoch when the frame left the decoder. */
  readonly capturedAt: number;
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24';
  readonly data: Uint8Array;
  /** Present when the source was opened with a `modelInput` size. */
  readonly modelInput?: ModelInput;
}
