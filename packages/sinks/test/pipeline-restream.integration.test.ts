import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openSource } from '@rxvision/decode';
import { createDetector, detect } from '@rxvision/detector';
import { type TrackedFrame, track } from '@rxvision/tracker';
import { type Subscription, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { createRtspServer, type RtspServer, toRtsp } from '../src/index.js';
import { labelColor } from '../src/internal.js';

const run = promisify(execFile);

describe('real camera → decode → detect → track → toRtsp, read back by ffprobe and ffmpeg', () => {
  let camera: RtspCamera;
  let server: RtspServer;
  let pipeline: Subscription;
  const history: TrackedFrame['tracks'][] = [];

  beforeAll(async () => {
    camera = await startRtspCamera({ clip: sharedPath('videos', 'people-walking-indoor.mp4') });
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const detector = await createDetector({ model: sharedPath('models', 'yolov5s-coco-640.onnx') });
    const source = openSource({ url: camera.url, streamId: 'hall', modelInput: detector.inputSize, fps: 5 });
    pipeline = source.frames$
      .pipe(
        detect(detector),
        track({ fps: 5 }),
        tap((tracked) => {
          history.push(tracked.tracks);
          if (history.length > 80) history.shift();
        }),
        toRtsp(server, { camera: 'hall', fps: 5 }),
      )
      .subscribe();
  });
  afterAll(async () => {
    pipeline?.unsubscribe();
    await server?.close();
    await camera?.stop();
  });

  it('serves the camera resolution and rate as H.264 with boxes where the tracker put persons', async () => {
    const deadline = Date.now() + 60_000;
    while (!history.some((tracks) => tracks.length > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(history.some((tracks) => tracks.some((t) => t.label === 'person'))).toBe(true);
    const url = server.url('/hall-annotated');
    const { stdout: probe } = await run(
      '/usr/bin/ffprobe',
      ['-v', 'error', '-rtsp_transport', 'tcp', '-show_streams', '-of', 'json', url],
      {
        timeout: 60_000,
      },
    );
    expect(JSON.parse(probe).streams[0]).toMatchObject({
      codec_name: 'h264',
      width: 768,
      height: 432,
      r_frame_rate: '5/1',
    });

    // Read while a person is in view: the clip has stretches where nobody is.
    const inView = Date.now() + 60_000;
    while (!history.at(-1)?.some((t) => t.label === 'person') && Date.now() < inView) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const frameBytes = 768 * 432 * 3;
    const framesRead = 10;
    const { stdout: rgb } = await run(
      '/usr/bin/ffmpeg',
      [
        '-v',
        'error',
        '-rtsp_transport',
        'tcp',
        '-i',
        url,
        '-frames:v',
        `${framesRead}`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ],
      { encoding: 'buffer', timeout: 60_000, maxBuffer: 64 << 20 },
    );
    expect(rgb.length).toBe(framesRead * frameBytes);
    const [r, g, b] = labelColor(0);
    const near = (frame: number, x: number, y: number) => {
      const i = frame * frameBytes + (Math.round(y) * 768 + Math.round(x)) * 3;
      return Math.abs(rgb[i]! - r) < 50 && Math.abs(rgb[i + 1]! - g) < 50 && Math.abs(rgb[i + 2]! - b) < 50;
    };
    // Each decoded picture is one of the recent frames: for one of them, the left edges of its
    // person boxes are drawn in the person colour.
    const edgeScore = (frame: number, tracks: TrackedFrame['tracks']) => {
      const persons = tracks.filter((t) => t.label === 'person' && t.bbox[3] - t.bbox[1] > 20);
      if (persons.length === 0) return 0;
      let hit = 0;
      let total = 0;
      for (const { bbox } of persons) {
        for (let y = bbox[1] + 4; y < bbox[3] - 4; y += 4) {
          total++;
          if (near(frame, Math.max(0, bbox[0]) + 1, Math.min(431, y))) hit++;
        }
      }
      return hit / total;
    };
    const best = Math.max(
      ...Array.from({ length: framesRead }, (_, frame) =>
        Math.max(...history.map((t) => edgeScore(frame, t))),
      ),
    );
    expect(best).toBeGreaterThan(0.6);
  });
});
