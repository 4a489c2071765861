import { fullImage } from '@rxvision/decode';
import { frameJpeg } from '@rxvision/sinks';
import type { TrackedFrame } from '@rxvision/tracker';
import type { LatestFrames } from '../frigate-api/latest-frames.js';
import type { ReplySink } from '../http-routes.js';

/** One MJPEG picture as Frigate's `/api/<camera>` query asks for it, already bounded. */
export interface MjpegVariant {
  readonly fps: number;
  readonly height: number;
  readonly bbox: boolean;
  readonly zones: boolean;
}

/** What the hub reads from the agent. */
export interface MjpegSource {
  readonly latest: LatestFrames;
  /** The camera's zones and lines as drawn on its frames. */
  areas(camera: string): {
    zones: { name: string; points: readonly (readonly [number, number])[] }[];
    lines: { name: string; points: readonly (readonly [number, number])[] }[];
  };
  readonly ffmpegPath?: string;
}

const BOUNDARY = 'rxvision-frame';
export const MJPEG_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${BOUNDARY}`;

interface Encoder {
  readonly camera: string;
  readonly variant: MjpegVariant;
  readonly viewers: Set<ReplySink>;
  timer?: NodeJS.Timeout;
  last?: TrackedFrame;
}

/**
 * One JPEG encoder per camera and picture variant, shared by all its viewers: it starts with the
 * first viewer, encodes each new processed frame at most `fps` times a second, and stops when the
 * last viewer leaves. A viewer whose socket has not drained skips frames instead of queueing them.
 */
export class MjpegHub {
  readonly #encoders = new Map<string, Encoder>();

  constructor(private readonly source: MjpegSource) {}

  watch(camera: string, variant: MjpegVariant, sink: ReplySink): void {
    const key = `${camera}|${variant.fps}|${variant.height}|${variant.bbox}|${variant.zones}`;
    let encoder = this.#encoders.get(key);
    if (!encoder) {
      encoder = { camera, variant, viewers: new Set() };
      this.#encoders.set(key, encoder);
      this.#tick(key, encoder);
    }
    encoder.viewers.add(sink);
    const running = encoder;
    sink.onClose(() => {
      running.viewers.delete(sink);
      if (running.viewers.size > 0) return;
      clearTimeout(running.timer);
      this.#encoders.delete(key);
    });
  }

  /** Encoders running now (one per camera and variant watched) and their viewers. */
  counts(): { camera: string; encoders: number; viewers: number }[] {
    const byCamera = new Map<string, { camera: string; encoders: number; viewers: number }>();
    for (const e of this.#encoders.values()) {
      const entry = byCamera.get(e.camera) ?? { camera: e.camera, encoders: 0, viewers: 0 };
      entry.encoders++;
      entry.viewers += e.viewers.size;
      byCamera.set(e.camera, entry);
    }
    return [...byCamera.values()];
  }

  #tick(key: string, encoder: Encoder): void {
    const started = Date.now();
    this.#encode(encoder)
      .catch(() => undefined)
      .finally(() => {
        if (this.#encoders.get(key) !== encoder) return;
        const wait = Math.max(0, 1000 / encoder.variant.fps - (Date.now() - started));
        encoder.timer = setTimeout(() => this.#tick(key, encoder), wait);
      });
  }

  async #encode(encoder: Encoder): Promise<void> {
    const tracked = this.source.latest.get(encoder.camera);
    if (!tracked || tracked === encoder.last) return;
    encoder.last = tracked;
    const image = fullImage(tracked.frame);
    if (!image) return;
    const { variant } = encoder;
    const areas = variant.zones ? this.source.areas(encoder.camera) : undefined;
    const jpeg = await frameJpeg(
      image,
      {
        height: Math.min(variant.height, image.height),
        ...(variant.bbox || areas
          ? { annotate: { tracks: variant.bbox ? tracked.tracks : [], ...(areas ? { options: areas } : {}) } }
          : {}),
      },
      this.source.ffmpegPath,
    );
    if (jpeg === 'skipped') return;
    const head = `--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`;
    const part = Buffer.concat([Buffer.from(head), jpeg, Buffer.from('\r\n')]);
    for (const viewer of encoder.viewers) if (!viewer.congested) viewer.write(part);
  }
}
