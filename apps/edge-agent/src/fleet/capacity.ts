import { type Frame, letterbox } from '@rxvision/decode';
import type { Detector } from '@rxvision/detector';

/**
 * images/s `detector` sustains, measured on grey model-sized frames in full batches for about
 * `durationMs` after one warm-up batch: the default `fleet.capacity` of a box.
 */
export async function measureCapacity(detector: Detector, durationMs = 2000): Promise<number> {
  const { width, height } = detector.inputSize;
  const data = new Uint8Array(width * height * 3).fill(114);
  const frames: Frame[] = Array.from({ length: Math.max(1, detector.batch.size) }, (_, seq) => ({
    streamId: 'capacity',
    seq,
    pts: 0,
    capturedAt: 0,
    width,
    height,
    format: 'rgb24',
    data,
    modelInput: { width, height, format: 'rgb24', data, letterbox: letterbox(width, height, width, height) },
  }));
  await detector.detectFrames(frames);
  const started = performance.now();
  let images = 0;
  while (performance.now() - started < durationMs) {
    await detector.detectFrames(frames);
    images += frames.length;
  }
  return Math.round((images / ((performance.now() - started) / 1000)) * 10) / 10;
}
