import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../src/demo/index.js';

const brokers: EmbeddedBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

async function start(port = 0): Promise<EmbeddedBroker> {
  const broker = await startEmbeddedBroker({ port });
  brokers.push(broker);
  return broker;
}

describe('startEmbeddedBroker (aedes) seen by Debian mosquitto clients', () => {
  it('delivers what the agent publishes to `mosquitto_sub -t rxvision/# -v`', async () => {
    const broker = await start();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    // The agent's own client (mqtt.js) publishes a retained availability message first.
    const agent = await mqtt.connectAsync(broker.url);
    await agent.publishAsync('rxvision/demo/availability', 'online', { qos: 1, retain: true });

    const sub = spawn('mosquitto_sub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(broker.port),
      '-t',
      'rxvision/#',
      '-v',
      '-C',
      '2',
    ]);
    onTestFinished(() => {
      if (sub.exitCode === null) sub.kill();
    });
    const lines: string[] = [];
    const done = new Promise<number | null>((resolve) => sub.once('close', resolve));
    const subscribed = new Promise<void>((resolve) => sub.stdout.once('data', () => resolve()));
    sub.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    // Once subscribed (the retained message arrived), a live event from another client must follow.
    // (Async spawn: the broker runs in this process, a blocking spawn would starve it.)
    await subscribed;
    const pub = spawn('mosquitto_pub', [
      ...['-h', '127.0.0.1', '-p', String(broker.port)],
      ...['-t', 'rxvision/demo/events', '-m', '{"type":"new","label":"person"}'],
    ]);
    expect(await new Promise((resolve) => pub.once('close', resolve))).toBe(0);
    expect(await done).toBe(0);
    expect(lines).toEqual([
      'rxvision/demo/availability online',
      'rxvision/demo/events {"type":"new","label":"person"}',
    ]);
    await agent.endAsync();
  });

  it('says which port is taken and what to do when another broker has it', async () => {
    const first = await start();
    await expect(startEmbeddedBroker({ port: first.port })).rejects.toThrow(
      `127.0.0.1:${first.port} is already in use (a mosquitto?). Point the agent at that broker with mqtt.url: mqtt://127.0.0.1:${first.port}`,
    );
  });

  it('frees its port and drops its clients on close', async () => {
    const broker = await start();
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await closed;
    expect(client.connected).toBe(false);
    const again = await start(broker.port);
    expect(again.port).toBe(broker.port);
    await client.endAsync(true);
  });
});
