import type { TrackedFrame } from '@rxvision/tracker';

/**
 * The newest processed frame of each camera, for `/api/<camera>/latest.jpg`. The decoder gives
 * every frame its own buffer, so holding one costs a frame per camera and no copy.
 */
export class LatestFrames {
  readonly #frames = new Map<string, TrackedFrame>();

  set(camera: string, tracked: TrackedFrame): void {
    this.#frames.set(camera, tracked);
  }

  get(camera: string): TrackedFrame | undefined {
    return this.#frames.get(camera);
  }

  forget(camera: string): void {
    this.#frames.delete(camera);
  }
}
