import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPersistentQueue } from '@rxvision/sinks';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, sleep, startAgent, waitFor } from './helpers/agent-process.js';

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { id: string; frame_time: number };
}
const key = (e: EventMessage) => `${e.type}:${e.after.id}:${e.after.frame_time}`;

describe('edge-agent persistent offline queue across a restart during an outage (real mosquitto)', () => {
  let broker: Mosquitto;
  const agents: AgentProcess[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    for (const agent of agents) agent.kill('SIGKILL');
    await broker.stop();
  });

  it('delivers every QoS 1 event produced while the broker was down, in order, after the agent restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-pq-agent-'));
    const queueFile = join(dir, 'state', 'mqtt-queue.log');
    const config = join(dir, 'agent.yml');
    writeFileSync(
      config,
      [
        'mqtt:',
        `  url: ${broker.url}`,
        '  topic_prefix: pq',
        '  offline_queue:',
        `    path: ${queueFile}`,
        '    fsync: always',
        'http:',
        '  listen: 127.0.0.1:0',
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        '  hall:',
        `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
        '    fps: 4',
        '    objects: [person]',
        '  street:',
        `    url: ${sharedPath('videos', 'street-cars.mp4')}`,
        '    fps: 4',
        '    objects: [car, person]',
      ].join('\n'),
    );
    // A durable subscriber: the broker keeps what is published for it while it is away (QoS 1).
    const subscriber = await mqtt.connectAsync(broker.url, {
      clientId: 'pq-durable',
      clean: false,
      reconnectPeriod: 200,
    });
    const received: EventMessage[] = [];
    subscriber.on('message', (_topic, payload) =>
      received.push(JSON.parse(payload.toString()) as EventMessage),
    );
    await subscriber.subscribeAsync('pq/events', { qos: 1 });

    const first = startAgent(['run', '--config', config]);
    agents.push(first);
    await waitFor('the first tracked person', () => received.find((e) => e.type === 'new'), 120_000);
    const liveBefore = received.length;

    await broker.stop();
    // The agent keeps producing events (QoS 1) with nowhere to send them.
    await sleep(15_000);
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(queueFile)).toBe(true);
    // Object events only: reviews and line crossings share the events kind on their own topics.
    const waiting = readPersistentQueue(queueFile).messages.filter(
      (m) => m.kind === 'events' && m.topic === 'pq/events',
    );
    const produced = waiting.map((m) => JSON.parse(m.payload.toString()) as EventMessage);
    // Tracks seen during the outage, and the `end`s the shutdown published for the tracks still open.
    expect(produced.length).toBeGreaterThan(5);
    expect(produced.some((e) => e.type === 'end')).toBe(true);

    const second = startAgent(['run', '--config', config]);
    agents.push(second);
    await waitFor(
      'the replayed queue',
      () => (/offline queue file wait for the broker/.test(second.stderr()) ? true : undefined),
      120_000,
    );
    await broker.start();
    const arrived = () => new Set(received.map(key));
    await waitFor(
      'every queued event at the durable subscriber',
      () => (produced.every((e) => arrived().has(key(e))) ? true : undefined),
      60_000,
    );

    // In order: the first arrival of each queued event follows the order they were produced in.
    const firstArrival = new Map<string, number>();
    received.forEach((e, i) => {
      if (!firstArrival.has(key(e))) firstArrival.set(key(e), i);
    });
    const positions = produced.map((e) => firstArrival.get(key(e))!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // At least once: duplicates only of what was in flight, never a lost or reordered event.
    const duplicates = received.length - new Set(received.map(key)).size;
    // Every object the first agent started, before or during the outage, was ended.
    const firstRun = received.slice(0, liveBefore).concat(produced);
    const started = new Set(firstRun.filter((e) => e.type === 'new').map((e) => e.after.id));
    const ended = new Set(firstRun.filter((e) => e.type === 'end').map((e) => e.after.id));
    expect([...started].filter((id) => !ended.has(id))).toEqual([]);
    console.log(
      `persistent queue: ${JSON.stringify({ liveBefore, queuedDuringOutage: produced.length, received: received.length, duplicates })}`,
    );

    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await subscriber.endAsync();
  }, 300_000);
});
