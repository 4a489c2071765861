import type { Observable } from 'rxjs';
import type { Frame } from './frame.js';
import { openSource } from './open-source.js';
import type { DecodeOptions } from './source-options.js';

/**
 * Decodes a camera or file with FFmpeg into a stream of RGB frames (plus the letterboxed model
 * input when `modelInput` is given).
 *
 * The frames view of `openSource`: same watchdog, reconnects and redaction; use `openSource`
 * when you also want the status observable and counters. Unsubscribing kills FFmpeg.
 *
 * ## Example
 * ```ts
 * decode({ url: 'people.mp4', streamId: 'lobby', modelInput: { width: 640, height: 640 } })
 *   .subscribe((frame) => console.log(frame.seq, frame.width, frame.height));
 * ```
 * @see openSource
 */
export function decode(options: DecodeOptions): Observable<Frame> {
  return openSource(options).frames$;
}
