import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, readPersistentQueue } from '../src/index.js';
import { subscriber, waitFor } from './fixtures.js';

describe('persistent offline queue across a publisher restart (real mosquitto)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('replays what the first publisher could not deliver, in order, and settles each message on PUBACK', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rxv-pq-')), 'state', 'queue.log');
    const options = {
      url: broker.url,
      topicPrefix: 'pr',
      statsIntervalMs: 0,
      discovery: false,
      reconnectPeriod: 100,
      reconnectPeriodMax: 300,
      offlineQueue: { path, fsync: 'always' as const },
      logger: silentLogger,
    };
    const sub = await subscriber(broker.url, ['pr/events'], { clientId: 'pr-durable', clean: false });
    const first = createMqttPublisher(options);
    await waitFor(() => first.metrics().connected, 10_000, 'first publisher connected');
    first.publish('events', 'pr/events', 'live 0');
    expect(await first.flush(10_000)).toBe(true);
    // Acknowledged: settled in the file.
    expect(readPersistentQueue(path).messages).toEqual([]);

    await broker.stop();
    await waitFor(() => !first.metrics().connected, 10_000, 'outage noticed');
    for (let i = 1; i <= 50; i++) first.publish('events', 'pr/events', `outage ${i}`);
    first.publish('counts', 'pr/yard/person', '3', { retain: true });
    expect(await first.close(300)).toBe(false);
    const waiting = readPersistentQueue(path).messages;
    expect(waiting.filter((m) => m.kind === 'events')).toHaveLength(50);

    // A new process: the file is all that is left of the first publisher.
    const second = createMqttPublisher(options);
    expect(second.metrics().queueDepth).toBe(51);
    await broker.start();
    expect(await second.flush(20_000)).toBe(true);
    await waitFor(() => sub.messages.length >= 51, 20_000, 'replayed events at the durable subscriber');
    const payloads = sub.messages.map((m) => m.payload.toString());
    const outage = payloads.filter((p) => p.startsWith('outage'));
    expect(new Set(outage).size).toBe(50);
    // In order: first arrivals of the replayed events follow the order they were published in.
    expect([...new Set(outage)]).toEqual(Array.from({ length: 50 }, (_, i) => `outage ${i + 1}`));
    expect(readPersistentQueue(path).messages).toEqual([]);
    const late = await subscriber(broker.url, ['pr/yard/person']);
    await waitFor(() => late.messages.length > 0, 10_000, 'the replayed retained count');
    expect(late.messages[0]?.payload.toString()).toBe('3');
    await second.close(5000);
    await late.close();
    await sub.close();
  }, 60_000);
});
