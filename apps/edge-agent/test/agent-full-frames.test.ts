import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { Agent } from '../src/agent/agent.js';
import { parseConfigText } from '../src/config/load.js';
import { createLogger } from '../src/ops/logger.js';
import { childCommandLines, waitFor } from './helpers/agent-process.js';

describe('full-resolution frames only for cameras whose sinks read them (real FFmpeg, model, broker)', () => {
  let broker: Mosquitto;
  let agent: Agent | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rxv-full-frames-'));
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await agent?.stop(2000);
    await broker.stop();
  });

  it('a camera without restream or snapshots gets the model input alone from FFmpeg and still publishes events', async () => {
    // One clip under two names, so each camera's FFmpeg is told apart by its input.
    const clip = sharedPath('videos', 'people-walking-indoor.mp4');
    const lobby = join(dir, 'lobby.mp4');
    const porch = join(dir, 'porch.mp4');
    symlinkSync(clip, lobby);
    symlinkSync(clip, porch);
    const events: string[] = [];
    const subscriber = await mqtt.connectAsync(broker.url);
    subscriber.on('message', (topic, payload) => {
      if (topic === 'ff/events') events.push(payload.toString());
    });
    await subscriber.subscribeAsync('ff/#');
    const config = parseConfigText(
      [
        'http: { enabled: false }',
        `mqtt: { url: "${broker.url}", topic_prefix: ff }`,
        `detectors: { default: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}, batch_size: 1 } }`,
        'cameras:',
        `  lobby: { url: ${lobby}, fps: 2, snapshots: false }`,
        `  porch: { url: ${porch}, fps: 2 }`,
      ].join('\n'),
    );
    agent = await Agent.start({
      config,
      log: createLogger({ json: true, stream: new PassThrough() }),
      statusStream: new PassThrough(),
    });
    const decoders = await waitFor('both cameras’ FFmpeg running', () => {
      const lines = childCommandLines(process.pid).filter((l) => l.includes('-filter_complex'));
      const of = (file: string) => lines.find((l) => l.includes(file));
      const [lobbyLine, porchLine] = [of(lobby), of(porch)];
      return lobbyLine && porchLine ? { lobby: lobbyLine, porch: porchLine } : undefined;
    });
    // lobby: one rawvideo output, the rgb24 letterbox on stdout; no full-frame branch at all.
    expect(decoders.lobby.match(/-f rawvideo/g)).toHaveLength(1);
    expect(decoders.lobby).toMatch(/-map \[model\] -f rawvideo -pix_fmt rgb24 .*pipe:1/);
    expect(decoders.lobby).not.toMatch(/\[full\]|pipe:3|split/);
    // porch keeps snapshots (the default): its full frame leaves FFmpeg in the decoder's yuv420p.
    expect(decoders.porch).toMatch(/-map \[full\] -f rawvideo -pix_fmt yuv420p .*pipe:1/);
    expect(decoders.porch).toMatch(/-map \[model\] -f rawvideo -pix_fmt rgb24 .*pipe:3/);
    const event = await waitFor(
      'an event from lobby',
      () => events.map((e) => JSON.parse(e)).find((e) => e.after?.camera === 'lobby'),
      120_000,
    );
    expect(event).toMatchObject({ type: 'new', after: { camera: 'lobby', label: 'person' } });
    await subscriber.endAsync();
  }, 180_000);
});
