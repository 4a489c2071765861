import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { filter, firstValueFrom, lastValueFrom, take, tap, timeout, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { sharedPath } from '../../../testing/shared.js';
import { DecodeError, decode, type Frame, openSource } from '../src/index.js';
import { settleFfmpegChildren } from './ffmpeg-children.js';
import { audioOnly, moovAtEnd, resolutionChange, tempDir, testPattern, truncated } from './make-media.js';

const indoor = sharedPath('videos', 'people-walking-indoor.mp4');

afterEach(async () => {
  expect(await settleFfmpegChildren()).toEqual([]);
});

async function failure(frames: Promise<unknown>): Promise<DecodeError> {
  const error = await frames.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DecodeError);
  return error as DecodeError;
}

describe('bad input gives a clear, specific error or state', () => {
  it('unreachable RTSP host: an unreachable error for a one-shot open', async () => {
    const port = await freePort();
    const error = await failure(
      firstValueFrom(
        decode({ url: `rtsp://admin:pw@127.0.0.1:${port}/live`, streamId: 'yard', live: false }),
      ),
    );
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(
      /camera yard \(rtsp:\/\/admin:\*\*\*@127\.0\.0\.1:\d+\/live\): cannot reach/,
    );
    expect(error.message).not.toContain(':pw@');
  });

  it('unreachable live camera: offline with the reason, retrying, never an error', async () => {
    const port = await freePort();
    const source = openSource({
      url: `rtsp://127.0.0.1:${port}/live`,
      streamId: 'yard',
      reconnect: { initialDelayMs: 50 },
    });
    const errors: unknown[] = [];
    const subscription = source.frames$.subscribe({ error: (e) => errors.push(e) });
    const offline = await firstValueFrom(
      source.status$.pipe(
        filter((s) => s.state === 'offline' && /retry 2 /.test(s.reason ?? '')),
        timeout(20_000),
      ),
    );
    subscription.unsubscribe();
    expect(offline.reason).toMatch(/cannot reach the source/);
    expect(errors).toEqual([]);
    expect(source.stats().reconnects).toBeGreaterThanOrEqual(2);
  });

  it('a file without a video stream: no-video', async () => {
    const error = await failure(firstValueFrom(decode({ url: audioOnly(tempDir()) })));
    expect(error.kind).toBe('no-video');
    expect(error.message).toMatch(/no video stream/);
  });

  it('a truncated MP4 (index first): the frames that are there, then a corrupt error', async () => {
    const cut = truncated(tempDir(), indoor, 0.1);
    const frames: Frame[] = [];
    const ended = await new Promise<unknown>((resolve) => {
      decode({ url: cut }).subscribe({
        next: (f) => frames.push(f),
        error: resolve,
        complete: () => resolve('complete'),
      });
    });
    expect(frames.length).toBeGreaterThan(10);
    const error = await failure(Promise.reject(ended));
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/truncated\.mp4.*corrupt or truncated/);
    expect(error.stderrTail).toMatch(/partial file|Invalid data/);
  });

  it('a truncated MP4 (index last): corrupt at open', async () => {
    const dir = tempDir();
    const cut = truncated(dir, moovAtEnd(dir, indoor), 0.5, 'moov-missing.mp4');
    const error = await failure(firstValueFrom(decode({ url: cut })));
    expect(error.kind).toBe('corrupt');
    expect(error.stderrTail).toMatch(/moov atom not found/);
  });

  it('a resolution change mid-stream: frames keep coming, at the size the source was opened with', async () => {
    const file = resolutionChange(tempDir(), '320x240', '640x360');
    const frames = await lastValueFrom(
      decode({ url: file, modelInput: { width: 160, height: 160 } }).pipe(toArray()),
    );
    expect(frames.length).toBeGreaterThanOrEqual(18);
    expect(
      new Set(frames.map((f) => `${f.width}x${f.height}:${f.data.length}:${f.modelInput?.data.length}`)),
    ).toEqual(new Set([`320x240:${(320 * 240 * 3) / 2}:${160 * 160 * 3}`]));
  });

  it('a live source that reopens at a new size: status says so, frames switch size, seq counts on', async () => {
    const dir = tempDir();
    const file = join(dir, 'camera.mp4');
    copyFileSync(testPattern(dir, 'small.mp4', '320x240'), file);
    const source = openSource({
      url: file,
      streamId: 'swap',
      live: true,
      reconnect: { initialDelayMs: 500, jitter: 0 },
    });
    const swapped = firstValueFrom(
      source.status$.pipe(
        filter((s) => s.state === 'offline' && /stream ended/.test(s.reason ?? '')),
        take(1),
        tap(() => copyFileSync(testPattern(dir, 'large.mp4', '640x360'), file)),
      ),
    );
    const changed = firstValueFrom(
      source.status$.pipe(
        filter((s) => /resolution changed/.test(s.reason ?? '')),
        timeout(20_000),
      ),
    );
    const frames = await firstValueFrom(
      source.frames$.pipe(
        filter((f) => f.width === 640),
        take(1),
        timeout(20_000),
      ),
    );
    await swapped;
    expect((await changed).reason).toBe('resolution changed from 320x240 to 640x360');
    expect(frames.seq).toBeGreaterThanOrEqual(10);
    expect(frames.data.length).toBe((640 * 360 * 3) / 2);
  });
});
