import { silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher } from '../src/index.js';
import { type Received, subscriber, waitFor } from './fixtures.js';

/** The retained discovery configs a newly connected subscriber is handed, by topic. */
async function retainedConfigs(url: string, filter: string): Promise<Map<string, string>> {
  const sub = await subscriber(url, [filter]);
  // A marker published after subscribing arrives after every retained message the broker sends first.
  await sub.client.publishAsync(`${filter.replace('/#', '')}/zz-marker`, 'end', { qos: 1 });
  await waitFor(() => sub.messages.some((m) => m.topic.endsWith('zz-marker')), 10_000, 'the marker');
  await sub.close();
  return new Map(
    sub.messages
      .filter((m) => m.retain && m.topic.endsWith('/config'))
      .map((m) => [m.topic, m.payload.toString()]),
  );
}

const cleared = (messages: readonly Received[], topic: string) =>
  messages.some((m) => m.topic === topic && m.payload.length === 0);

describe('Home Assistant discovery and agent topics against a real mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('with an agent id: availability and stats under <prefix>/agents/<id>/, ids carry the id; removed entities get empty retained configs', async () => {
    const sub = await subscriber(broker.url, ['fleet/#', 'ha1/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'fleet',
      agentId: 'box-2',
      discoveryPrefix: 'ha1',
      statsIntervalMs: 200,
      logger: silentLogger,
    });
    expect(publisher.availableTopic).toBe('fleet/agents/box-2/available');
    await waitFor(() => publisher.metrics().connected, 10_000, 'connected');
    publisher.registerCamera('front', { labels: ['person', 'car'], zones: ['porch'], lines: ['gate'] });
    publisher.registerCamera('yard', { labels: ['person'], zones: [] });
    await waitFor(
      () => sub.messages.some((m) => m.topic === 'fleet/agents/box-2/stats'),
      10_000,
      'stats on the agent topic',
    );
    await waitFor(() =>
      sub.messages.some(
        (m) => m.topic === 'fleet/agents/box-2/available' && m.payload.toString() === 'online',
      ),
    );
    expect(sub.messages.some((m) => m.topic === 'fleet/available' || m.topic === 'fleet/stats')).toBe(false);
    const carCount = 'ha1/sensor/fleet_box-2/front_car_count/config';
    await waitFor(() => sub.messages.some((m) => m.topic === carCount), 10_000, 'the car count config');
    const config = JSON.parse(sub.messages.find((m) => m.topic === carCount)?.payload.toString() ?? '{}') as {
      unique_id: string;
      availability: Array<{ topic: string }>;
    };
    expect(config.unique_id).toBe('fleet_box-2_front_car_count');
    expect(config.availability.map((a) => a.topic)).toEqual([
      'fleet/agents/box-2/available',
      'fleet/front/status',
    ]);

    // front loses `car` and its line; yard is removed.
    publisher.registerCamera('front', { labels: ['person'], zones: ['porch'] });
    publisher.unregisterCamera('yard');
    const removed = [
      carCount,
      'ha1/sensor/fleet_box-2/front_porch_car_count/config',
      'ha1/sensor/fleet_box-2/front_gate_in/config',
      'ha1/sensor/fleet_box-2/yard_person_count/config',
      'ha1/binary_sensor/fleet_box-2/yard_connectivity/config',
    ];
    await waitFor(() => removed.every((t) => cleared(sub.messages, t)), 10_000, 'empty retained configs');
    await publisher.flush(5000);
    const retained = await retainedConfigs(broker.url, 'ha1/#');
    for (const topic of removed) expect(retained.has(topic), topic).toBe(false);
    expect(retained.has('ha1/sensor/fleet_box-2/front_person_count/config')).toBe(true);
    expect([...retained.keys()].some((t) => t.includes('/yard_'))).toBe(false);
    await publisher.close(2000);
    await sub.close();
  });

  it('without an agent id: Frigate’s <prefix>/available and <prefix>/stats', async () => {
    const sub = await subscriber(broker.url, ['plain/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'plain',
      discoveryPrefix: 'ha2',
      statsIntervalMs: 200,
      logger: silentLogger,
    });
    expect(publisher.statsTopic).toBe('plain/stats');
    await waitFor(() => sub.messages.some((m) => m.topic === 'plain/stats'), 10_000, 'stats');
    await waitFor(() =>
      sub.messages.some((m) => m.topic === 'plain/available' && m.payload.toString() === 'online'),
    );
    await publisher.close(2000);
    await waitFor(() =>
      sub.messages.some((m) => m.topic === 'plain/available' && m.payload.toString() === 'offline'),
    );
    await sub.close();
  });
});
