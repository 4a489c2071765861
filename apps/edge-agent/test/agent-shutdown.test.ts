import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { startTcpProxy, type TcpProxy } from '../../../testing/tcp-proxy.js';
import { type AgentProcess, sleep, startAgent, waitFor } from './helpers/agent-process.js';

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { id: string; label: string; end_time: number | null };
}

describe('edge-agent SIGTERM under load with the broker out of reach (real mosquitto)', () => {
  let broker: Mosquitto;
  let network: TcpProxy;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
    // The agent reaches the broker through a relay the test can cut; the subscriber connects directly.
    network = await startTcpProxy(broker.port);
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await network.close();
    await broker.stop();
  });

  it('queues the end events produced while disconnected, delivers them after reconnect, publishes offline, exits 0', async () => {
    const subscriber = await mqtt.connectAsync(broker.url);
    const events: EventMessage[] = [];
    const receivedAt = new Map<EventMessage, number>();
    const retained = new Map<string, string>();
    subscriber.on('message', (topic, payload) => {
      const text = payload.toString();
      if (topic === 'sd/events') {
        const event = JSON.parse(text) as EventMessage;
        events.push(event);
        receivedAt.set(event, Date.now());
      } else retained.set(topic, text);
    });
    await subscriber.subscribeAsync('sd/#', { qos: 1 });

    agent = startAgent([
      'run',
      '--source',
      `hall=${sharedPath('videos', 'people-walking-indoor.mp4')}`,
      '--source',
      `street=${sharedPath('videos', 'street-cars.mp4')}`,
      '--model',
      sharedPath('models', 'yolov5s-coco-640.onnx'),
      '--mqtt',
      `mqtt://127.0.0.1:${network.port}`,
      '--prefix',
      'sd',
      '--fps',
      '3',
      '--http',
      '127.0.0.1:0',
    ]);
    await waitFor(
      'a person being tracked',
      () => events.find((e) => e.type === 'new' && e.after.label === 'person'),
      90_000,
    );

    await network.cut();
    await sleep(1500);
    const liveAtSigterm = new Set(events.filter((e) => e.type === 'new').map((e) => e.after.id));
    for (const e of events) if (e.type === 'end') liveAtSigterm.delete(e.after.id);
    expect(liveAtSigterm.size).toBeGreaterThan(0);
    agent.kill('SIGTERM');
    await sleep(1000);
    const restoredAt = Date.now();
    await network.restore();

    expect(await agent.exited).toBe(0);
    await waitFor('offline', () => (retained.get('sd/available') === 'offline' ? true : undefined), 15_000);
    expect(retained.get('sd/available')).toBe('offline');
    // Every track open at SIGTERM was ended, and those ends could only arrive once the link was back.
    // (`end_time` is when the object was last seen, which may precede the cut: not a delivery clock.)
    const ended = new Set(events.filter((e) => e.type === 'end').map((e) => e.after.id));
    expect(
      [...liveAtSigterm].filter((id) => !ended.has(id)),
      `${JSON.stringify(events.map((e) => [e.type, e.after.id]))}\n${agent.stderr().slice(-1500)}`,
    ).toEqual([]);
    const lateEnds = events.filter((e) => e.type === 'end' && liveAtSigterm.has(e.after.id));
    expect(lateEnds.length).toBeGreaterThan(0);
    expect(lateEnds.every((e) => (receivedAt.get(e) ?? 0) >= restoredAt)).toBe(true);
    expect(retained.get('sd/hall/person')).toBe('0');
    await subscriber.endAsync();
  });
});
