import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

interface DetectionsMessage {
  readonly seq: number;
  readonly objects: ReadonlyArray<{ id: string | null; track_id: number; label: string; box: number[] }>;
}
interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { id: string; label: string; camera: string; end_time: number | null };
}

/** Longest run of consecutive detections messages holding the same person id. */
function longestPersonRun(messages: readonly DetectionsMessage[]): { id: string; length: number } {
  let best = { id: '', length: 0 };
  const runs = new Map<string, number>();
  for (const message of messages) {
    const ids = new Set(
      message.objects.filter((o) => o.label === 'person' && o.id).map((o) => o.id as string),
    );
    for (const id of [...runs.keys()]) if (!ids.has(id)) runs.delete(id);
    for (const id of ids) {
      const length = (runs.get(id) ?? 0) + 1;
      runs.set(id, length);
      if (length > best.length) best = { id, length };
    }
  }
  return best;
}

describe('edge-agent run: file → decode → detect → track → a real mosquitto (issue #2)', () => {
  let broker: Mosquitto;
  let agent: ChildProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    await broker.stop();
  });

  it('publishes persons with one track id over consecutive frames, then ends them and goes offline on SIGTERM', async () => {
    const subscriber = await mqtt.connectAsync(broker.url);
    const detections: DetectionsMessage[] = [];
    const events: EventMessage[] = [];
    const available: string[] = [];
    subscriber.on('message', (topic, payload) => {
      if (topic === 'it/hall/detections')
        detections.push(JSON.parse(payload.toString()) as DetectionsMessage);
      else if (topic === 'it/events') events.push(JSON.parse(payload.toString()) as EventMessage);
      else if (topic === 'it/available') available.push(payload.toString());
    });
    await subscriber.subscribeAsync(['it/#'], { qos: 1 });

    agent = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--source',
        `hall=${sharedPath('videos', 'people-walking-indoor.mp4')}`,
        '--model',
        sharedPath('models', 'yolov5s-coco-640.onnx'),
        '--mqtt',
        broker.url,
        '--prefix',
        'it',
        '--fps',
        '2',
        '--http',
        '127.0.0.1:0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    agent.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => agent?.once('exit', (code) => resolve(code)));

    // The first person walks through from ~7 s to ~19 s of the clip (played at native speed).
    const deadline = Date.now() + 75_000;
    while (Date.now() < deadline && longestPersonRun(detections).length < 5 && agent.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const run = longestPersonRun(detections);
    expect(
      run.length,
      `no person kept one id over 5 frames; agent log:\n${stderr.slice(-2000)}`,
    ).toBeGreaterThanOrEqual(5);
    expect(
      events.some((e) => e.type === 'new' && e.after.label === 'person' && e.after.camera === 'hall'),
    ).toBe(true);
    expect(available[0]).toBe('online');

    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Every track the agent announced was ended, and the last word is `offline`.
    await new Promise((r) => setTimeout(r, 300));
    const announced = new Set(events.filter((e) => e.type === 'new').map((e) => e.after.id));
    const ended = new Set(events.filter((e) => e.type === 'end').map((e) => e.after.id));
    expect([...announced].filter((id) => !ended.has(id))).toEqual([]);
    expect(events.filter((e) => e.type === 'end').every((e) => typeof e.after.end_time === 'number')).toBe(
      true,
    );
    expect(available.at(-1)).toBe('offline');
    await subscriber.endAsync();
  });
});
