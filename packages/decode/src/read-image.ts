import { basename } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { DecodeError } from './decode-error.js';
import { decodeOnce } from './decode-once.js';
import type { Frame } from './frame.js';
import type { FullFramePixelFormat, ModelInputSize } from './source-options.js';

/**
 * Reads a still photo (JPEG, PNG, anything FFmpeg decodes) into one Frame, with its
 * letterboxed model input when `modelInput` is given.
 *
 * Same FFmpeg machinery as `decode()`, so photos and video frames are letterboxed identically.
 *
 * ## Example
 * ```ts
 * const frame = await readImage('bus.jpg', { modelInput: { width: 640, height: 640 } });
 * ```
 */
export async function readImage(
  path: string,
  options: {
    readonly modelInput?: ModelInputSize;
    readonly ffmpegPath?: string;
    readonly streamId?: string;
    /** Default `rgb24`: a photo's pixels go to the detector, which letterboxes RGB when sizes differ. */
    readonly pixelFormat?: FullFramePixelFormat;
  } = {},
): Promise<Frame> {
  const streamId = options.streamId ?? basename(path);
  let seq = 0;
  try {
    return await firstValueFrom(
      decodeOnce(
        { url: path, live: false, pixelFormat: 'rgb24', ...options, outputArgs: ['-frames:v', '1'] },
        { streamId, nextSeq: () => seq++ },
      ),
    );
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError('corrupt', streamId, `image ${path}: FFmpeg produced no frame (${String(error)})`);
  }
}
