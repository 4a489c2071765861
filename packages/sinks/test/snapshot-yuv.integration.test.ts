import { execFile } from 'node:child_process';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, toMqtt } from '../src/index.js';
import { greyFrame, makeTrack, subscriber, trackedFrame, waitFor } from './fixtures.js';

/** Width and height of a JPEG, read by Debian's ffprobe. */
function jpegSize(jpeg: Buffer): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/usr/bin/ffprobe',
      ['-v', 'error', '-show_streams', '-of', 'json', '-i', 'pipe:0'],
      (error, stdout) => {
        if (error) return reject(error);
        const stream = JSON.parse(stdout).streams[0] as { codec_name: string; width: number; height: number };
        expect(stream.codec_name).toBe('mjpeg');
        resolve([stream.width, stream.height]);
      },
    );
    child.stdin?.end(jpeg);
  });
}

describe('MQTT snapshots from the decoder’s YUV frames (real mosquitto, real FFmpeg)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('crops on even pixels and publishes a JPEG of the crop’s size', async () => {
    const sub = await subscriber(broker.url, ['snap/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'snap',
      statsIntervalMs: 0,
      discovery: false,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    const t0 = 1_700_000_000_000;
    const person = (i: number) =>
      makeTrack(1, t0, { bbox: [100, 60, 200, 180], lastSeen: t0 + i * 100, score: 0.8 + i * 0.01 });
    const frames = [0, 1, 2].map((i) =>
      trackedFrame(
        greyFrame('front', i, t0 + i * 100, 320, 240),
        [person(i)],
        i === 0 ? [{ type: 'new', track: person(0), at: t0 }] : [],
      ),
    );
    frames.push(
      trackedFrame(
        greyFrame('front', 3, t0 + 300, 320, 240),
        [],
        [{ type: 'end', track: person(2), at: t0 + 300 }],
      ),
    );
    await lastValueFrom(from(frames).pipe(toMqtt(publisher, { camera: 'front', snapshot: {} }), toArray()));
    const snapshot = () => sub.messages.find((m) => m.topic === 'snap/front/person/snapshot');
    await waitFor(() => snapshot() !== undefined, 20_000, 'the snapshot');
    // Box 100..200 × 60..180 with a 25 % + 16 px margin: 59..241 × 14..226, left edge down to 58.
    expect(await jpegSize(snapshot()!.payload)).toEqual([241 - 58, 226 - 14]);
    await sub.close();
    await publisher.close();
  });
});
