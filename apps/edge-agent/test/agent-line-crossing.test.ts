import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, startAgent, waitFor } from './helpers/agent-process.js';

interface Crossing {
  readonly id: string | null;
  readonly camera: string;
  readonly line: string;
  readonly track_id: number;
  readonly label: string;
  readonly direction: 'in' | 'out';
  readonly time: number;
}

describe('edge-agent line crossing on a real clip: crossing events, per-label totals, kept across a restart (issue 15 item 6)', () => {
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await broker?.stop();
  });

  it('publishes one crossing event per counted crossing, and a restarted agent counts on from the saved totals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-lines-e2e-'));
    const totalsFile = join(dir, 'line-totals.json');
    const config = join(dir, 'agent.yml');
    // Cars drive down the left lane of the street clip (played as a live camera, looped) through y=150.
    writeFileSync(
      config,
      [
        'mqtt:',
        `  url: ${broker.url}`,
        '  topic_prefix: lc',
        'http:',
        '  listen: 127.0.0.1:0',
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'tracker:',
        `  line_totals_file: ${totalsFile}`,
        'cameras:',
        '  street:',
        `    url: ${sharedPath('videos', 'street-cars.mp4')}`,
        '    fps: 3',
        '    objects: [car]',
        '    lines:',
        "      lane: { coordinates: '150,150,330,150', inertia: 1 }",
      ].join('\n'),
    );
    const subscriber = await mqtt.connectAsync(broker.url);
    const crossings: Crossing[] = [];
    const totals: Array<{ topic: string; value: number }> = [];
    const available: string[] = [];
    subscriber.on('message', (topic, payload) => {
      if (topic === 'lc/available') available.push(payload.toString());
      else if (topic === 'lc/street/lane/crossing')
        crossings.push(JSON.parse(payload.toString()) as Crossing);
      else if (/^lc\/street\/lane\/(car\/)?(in|out)$/.test(topic))
        totals.push({ topic, value: Number(payload.toString()) });
    });
    await subscriber.subscribeAsync('lc/#', { qos: 1 });
    const latest = (topic: string) => totals.filter((t) => t.topic === topic).at(-1)?.value;

    agent = startAgent(['run', '--config', config]);
    const first = await waitFor('a car crossing the lane line', () => crossings[0], 180_000);
    expect(first).toMatchObject({ camera: 'street', line: 'lane', label: 'car' });
    expect(['in', 'out']).toContain(first.direction);
    expect(first.track_id).toBeGreaterThan(0);
    // The event id, or null for a car not yet past its threshold when it crossed.
    expect(first.id === null || typeof first.id === 'string').toBe(true);
    const stopped = async (runs: number) => {
      agent?.kill('SIGTERM');
      expect(await agent?.exited).toBe(0);
      // `offline` is the agent's last message: what it published before has arrived.
      await waitFor('offline', () =>
        available.filter((a) => a === 'offline').length >= runs ? true : undefined,
      );
    };
    await stopped(1);

    // Everything the first run published has arrived: one crossing event per counted crossing.
    const inBefore = await waitFor('the totals of the first run', () => latest('lc/street/lane/in'));
    const outBefore = latest('lc/street/lane/out') ?? 0;
    expect(crossings.length).toBe(inBefore + outBefore);
    expect(crossings.length).toBeGreaterThanOrEqual(1);
    expect((latest('lc/street/lane/car/in') ?? 0) + (latest('lc/street/lane/car/out') ?? 0)).toBe(
      crossings.length,
    );
    expect(crossings.filter((c) => c.direction === 'in')).toHaveLength(inBefore);
    const saved = JSON.parse(readFileSync(totalsFile, 'utf8'));
    expect(saved.cameras.street.lane).toMatchObject({ in: inBefore, out: outBefore });

    // Restart: the totals continue from the saved value, never back to 0.
    const afterRestart = totals.length;
    const beforeRestart = new Map(totals.map((t) => [t.topic, t.value]));
    agent = startAgent(['run', '--config', config]);
    const restored = await waitFor('the restarted agent publishing its lane totals', () =>
      totals.slice(afterRestart).find((t) => t.topic === 'lc/street/lane/in'),
    );
    expect(restored.value).toBe(inBefore);
    await waitFor(
      'a crossing after the restart',
      () => (crossings.length > inBefore + outBefore ? true : undefined),
      180_000,
    );
    await stopped(2);
    const inAfter = latest('lc/street/lane/in') ?? 0;
    const outAfter = latest('lc/street/lane/out') ?? 0;
    // Both runs' crossings are in the totals: the second run counted on from the first.
    expect(inAfter + outAfter).toBe(crossings.length);
    expect(inAfter).toBeGreaterThanOrEqual(inBefore);
    expect(outAfter).toBeGreaterThanOrEqual(outBefore);
    const fellBack = totals.slice(afterRestart).filter((t) => t.value < (beforeRestart.get(t.topic) ?? 0));
    expect(fellBack).toEqual([]);
    await subscriber.endAsync();
  }, 420_000);
});
