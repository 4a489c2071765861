import { silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { startTcpProxy, type TcpProxy } from '../../../testing/tcp-proxy.js';
import { createMqttPublisher } from '../src/index.js';
import { subscriber, waitFor } from './fixtures.js';

const quiet = silentLogger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MQTT in-flight accounting across a lost link (real mosquitto behind a TCP relay)', () => {
  let broker: Mosquitto;
  let link: TcpProxy;
  beforeAll(async () => {
    broker = await startMosquitto();
    // The publisher reaches the broker through a relay the test cuts; the subscriber connects directly.
    link = await startTcpProxy(broker.port);
  });
  afterAll(async () => {
    await link.close();
    await broker.stop();
  });

  it('flushes as soon as the broker has acknowledged everything after a reconnect, and closes for real', async () => {
    const sub = await subscriber(broker.url, ['ri/events']);
    const publisher = createMqttPublisher({
      url: `mqtt://127.0.0.1:${link.port}`,
      topicPrefix: 'ri',
      statsIntervalMs: 0,
      discovery: false,
      reconnectPeriod: 100,
      reconnectPeriodMax: 400,
      logger: quiet,
    });
    await waitFor(() => publisher.metrics().connected, 10_000, 'publisher connected');
    let next = 0;
    const burst = (n: number) => {
      for (let i = 0; i < n; i++) publisher.publish('events', 'ri/events', String(next++));
    };

    burst(50);
    // The relay runs in this process: nothing it was handed has reached the broker yet, so these are in flight.
    expect(publisher.metrics().inFlight).toBeGreaterThan(0);
    await link.cut();
    await waitFor(() => !publisher.metrics().connected, 10_000, 'publisher sees the link gone');
    burst(50);
    expect(publisher.metrics().queueDepth).toBeGreaterThan(0);
    await sleep(300);
    await link.restore();
    await waitFor(() => publisher.metrics().reconnects >= 1, 20_000, 'publisher reconnected');
    burst(50);

    // Generous bound: resolving `true` at all proves it did not wait on an acknowledgement that cannot come.
    const flushed = await publisher.flush(20_000);
    const metrics = publisher.metrics();
    expect({ flushed, inFlight: metrics.inFlight, queueDepth: metrics.queueDepth }).toEqual({
      flushed: true,
      inFlight: 0,
      queueDepth: 0,
    });
    // mqtt.js holds nothing for an acknowledgement either: its view and ours agree.
    expect(Object.keys(publisher.client.outgoing)).toEqual([]);
    expect(metrics.published.events).toBeGreaterThanOrEqual(next);

    const received = () => new Set(sub.messages.map((m) => m.payload.toString()));
    await waitFor(() => received().size >= next, 20_000, 'every event at the subscriber');
    expect([...received()].map(Number).sort((a, b) => a - b)).toEqual([...Array(next).keys()]);

    expect(await publisher.close(20_000)).toBe(true);
    // A graceful close ends the connection (it used to wait forever on mqtt.js's stale copies).
    expect(publisher.client.connected).toBe(false);
    expect(publisher.client.disconnected).toBe(true);
    await sub.close();
  });
});
