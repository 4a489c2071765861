import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { DecodeError, decode, openSource } from '../src/index.js';
import { settleFfmpegChildren } from './ffmpeg-children.js';

const clip = sharedPath('videos', 'people-walking-indoor.mp4');

describe('RTSP sources (real GStreamer RTSP server)', () => {
  let camera: RtspCamera;
  beforeAll(async () => {
    camera = await startRtspCamera({ clip, user: 'viewer', password: 's3cret' });
  });
  afterAll(() => camera.stop());
  afterEach(async () => {
    expect(await settleFfmpegChildren()).toEqual([]);
  });

  it('decodes H.264 over RTSP/TCP with credentials, with the model input', async () => {
    const frames = await firstValueFrom(
      decode({ url: camera.url, streamId: 'cam', modelInput: { width: 320, height: 320 } }).pipe(
        take(3),
        toArray(),
      ),
    );
    expect(frames.map((f) => [f.seq, f.width, f.height, f.modelInput?.data.length])).toEqual([
      [0, 768, 432, 320 * 320 * 3],
      [1, 768, 432, 320 * 320 * 3],
      [2, 768, 432, 320 * 320 * 3],
    ]);
  });

  it('decodes over RTSP/UDP when asked', async () => {
    const frame = await firstValueFrom(decode({ url: camera.url, rtspTransport: 'udp' }));
    expect([frame.width, frame.height]).toEqual([768, 432]);
  });

  it('reports a wrong password as unauthorized, redacted, and keeps retrying', async () => {
    const wrong = camera.url.replace('s3cret', 'wrong-pass');
    const source = openSource({
      url: wrong,
      streamId: 'door',
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    const subscription = source.frames$.subscribe();
    const offline = await firstValueFrom(
      source.status$.pipe(filter((s) => s.state === 'offline' && /retry/.test(s.reason ?? ''))),
    );
    subscription.unsubscribe();
    expect(offline.reason).toMatch(/camera door .*refused the credentials/);
    expect(offline.reason).toContain('viewer:***@');
    expect(offline.reason).not.toContain('wrong-pass');
  });

  it('fails a non-live wrong-password open with an unauthorized DecodeError', async () => {
    const error = await firstValueFrom(
      decode({ url: camera.url.replace('s3cret', 'nope'), live: false }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).kind).toBe('unauthorized');
    expect((error as DecodeError).message).not.toContain('nope');
  });
});
