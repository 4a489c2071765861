import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { Agent } from '../src/agent/agent.js';
import type { CameraStats } from '../src/agent/camera-stats.js';
import { parseConfigText } from '../src/config/load.js';
import { createLogger } from '../src/ops/logger.js';
import { waitFor } from './helpers/agent-process.js';

/** Holds a TCP port so the agent's RTSP server cannot listen on it. */
async function takePort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return { server, port: address.port };
}

describe('a camera whose restream cannot start (real model, real clip, RTSP port taken)', () => {
  let agent: Agent | undefined;
  let taken: Server | undefined;
  afterAll(async () => {
    await agent?.stop(2000);
    await new Promise((resolve) => taken?.close(resolve));
  });

  it('keeps detecting without the restream and warns once, instead of restarting forever', async () => {
    const { server, port } = await takePort();
    taken = server;
    const lines: Array<{ level: string; msg: string; camera?: string }> = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
    });
    const config = parseConfigText(
      [
        'http: { enabled: false }',
        `rtsp: { port: ${port} }`,
        `detectors: { default: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}, batch_size: 1 } }`,
        'cameras:',
        `  hall: { url: ${sharedPath('videos', 'people-walking-indoor.mp4')}, fps: 4, restream: true }`,
      ].join('\n'),
    );
    agent = await Agent.start({
      config,
      log: createLogger({ json: true, stream }),
      statusStream: new PassThrough(),
    });
    const running = agent;
    const hall = await waitFor(
      'hall to process a frame or restart',
      async () => {
        const stats = running.cameraInfo() as CameraStats[];
        const s = stats.find((c) => c.id === 'hall');
        return s && (s.framesProcessed >= 3 || s.restarts > 0) ? s : undefined;
      },
      60_000,
    );
    expect(hall.restarts).toBe(0);
    expect(hall.framesProcessed).toBeGreaterThanOrEqual(3);
    const warnings = lines.filter((l) => l.msg.startsWith('annotated restream unavailable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', camera: 'hall' });
  });
});
