import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, startAgent, waitFor } from './helpers/agent-process.js';

function configText(broker: string, cameras: Record<string, { clip: string; objects: string }>): string {
  return [
    'mqtt:',
    `  url: ${broker}`,
    '  topic_prefix: hadr',
    '  discovery_prefix: hadisc',
    'http:',
    '  listen: 127.0.0.1:0',
    'detectors:',
    '  default:',
    `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
    'cameras:',
    ...Object.entries(cameras).flatMap(([id, { clip, objects }]) => [
      `  ${id}:`,
      `    url: ${sharedPath('videos', clip)}`,
      '    fps: 1',
      `    objects: ${objects}`,
    ]),
  ].join('\n');
}

/** The retained configs under `hadisc/` a newly connected subscriber is handed. */
async function retainedConfigs(url: string): Promise<Set<string>> {
  const client = await mqtt.connectAsync(url);
  const topics = new Set<string>();
  let marker = false;
  client.on('message', (topic, _payload, packet) => {
    if (topic === 'hadisc/marker') marker = true;
    else if (packet.retain && topic.endsWith('/config')) topics.add(topic);
  });
  await client.subscribeAsync('hadisc/#', { qos: 1 });
  // Published after subscribing, so it arrives after the retained messages the broker sends first.
  await client.publishAsync('hadisc/marker', 'end', { qos: 1 });
  await waitFor('the marker', () => (marker ? true : undefined), 10_000);
  await client.endAsync();
  return topics;
}

describe('Home Assistant discovery across a SIGHUP reload (real agent, real mosquitto)', () => {
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await broker?.stop();
  });

  it('publishes empty retained configs for a removed camera and a dropped label, keeps the rest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rxv-ha-reload-')), 'agent.yml');
    writeFileSync(
      file,
      configText(broker.url, {
        hall: { clip: 'people-walking-indoor.mp4', objects: '[person, car]' },
        street: { clip: 'street-cars.mp4', objects: '[car]' },
      }),
    );
    const live = await mqtt.connectAsync(broker.url);
    const seen = new Map<string, string[]>();
    live.on('message', (topic, payload) => seen.set(topic, [...(seen.get(topic) ?? []), payload.toString()]));
    await live.subscribeAsync('hadisc/#', { qos: 1 });

    agent = startAgent(['run', '--config', file]);
    const street = [
      'hadisc/sensor/hadr/street_car_count/config',
      'hadisc/binary_sensor/hadr/street_occupancy/config',
      'hadisc/binary_sensor/hadr/street_connectivity/config',
      'hadisc/sensor/hadr/street_fps/config',
      'hadisc/image/hadr/street_car_snapshot/config',
    ];
    const hallCar = 'hadisc/sensor/hadr/hall_car_count/config';
    const hallPerson = 'hadisc/sensor/hadr/hall_person_count/config';
    await waitFor(
      'both cameras declared under the configured discovery_prefix',
      () => ([...street, hallCar, hallPerson].every((t) => seen.get(t)?.[0]) ? true : undefined),
      90_000,
    );
    const config = JSON.parse(seen.get(hallPerson)?.[0] ?? '{}') as {
      availability_mode: string;
      availability: Array<{ topic: string }>;
    };
    expect(config.availability_mode).toBe('all');
    expect(config.availability.map((a) => a.topic)).toEqual(['hadr/available', 'hadr/hall/status']);

    // street removed, hall no longer tracks cars.
    writeFileSync(
      file,
      configText(broker.url, { hall: { clip: 'people-walking-indoor.mp4', objects: '[person]' } }),
    );
    agent.kill('SIGHUP');
    await waitFor(
      'empty retained configs for street and for hall’s car',
      () => ([...street, hallCar].every((t) => seen.get(t)?.at(-1) === '') ? true : undefined),
      60_000,
    );
    const retained = await retainedConfigs(broker.url);
    for (const topic of [...street, hallCar]) expect(retained.has(topic), topic).toBe(false);
    expect(retained.has(hallPerson)).toBe(true);
    expect([...retained].some((t) => t.includes('/street_'))).toBe(false);

    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    // A shutdown is not a removal: the running camera's entities stay (and go unavailable via the Last Will).
    expect((await retainedConfigs(broker.url)).has(hallPerson)).toBe(true);
    await live.endAsync();
  }, 240_000);
});
