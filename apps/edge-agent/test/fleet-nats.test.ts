import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { type NatsServer, startNatsServer } from '../../../testing/nats-server.js';
import { sharedPath } from '../../../testing/shared.js';
import {
  type AgentProcess,
  metricValue,
  scrape,
  sleep,
  startAgent,
  waitFor,
} from './helpers/agent-process.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = promisify(execFile);
const BOXES = ['box-1', 'box-2', 'box-3'] as const;
const CAMERAS = ['cam-1', 'cam-2', 'cam-3', 'cam-4', 'cam-5', 'cam-6'];
// Short timings so the test takes minutes; the defaults are 2 s / 10 s / 10 s.
const TIMING = { heartbeat_interval: 1, heartbeat_ttl: 8, lease_ttl: 8 };
/** The target for a dead box's cameras to run elsewhere (defaults: TTL + one rebalance ≤ 30 s). */
const FAILOVER_MS = 30_000;

interface CameraJson {
  readonly id: string;
  readonly state: string;
  readonly fleet?: { box: string; role: string; assignmentRevision: number };
}

describe('fleet on a real nats-server -js: six lavfi cameras shared by three agents', () => {
  let nats: NatsServer;
  let broker: Mosquitto;
  let watcher: mqtt.MqttClient | undefined;
  /** The last retained payload of each `rxvision/agents/<box>/available`, as a subscriber sees it. */
  const availability = new Map<string, string>();
  let dir: string;
  const agents = new Map<string, { process: AgentProcess; url: string }>();
  /** Every agent process started, for the failure report. */
  const started = new Map<string, AgentProcess>();

  const agentFile = (box: string) => join(dir, `${box}.yml`);
  const start = async (box: string) => {
    const process = startAgent(['run', '--config', agentFile(box)]);
    started.set(`${box}#${started.size}`, process);
    agents.set(box, { process, url: await process.httpUrl() });
  };
  const camerasOn = async (box: string): Promise<CameraJson[]> => {
    const agent = agents.get(box);
    if (!agent) return [];
    const response = await fetch(`${agent.url}/api/cameras`).catch(() => undefined);
    return response?.ok ? ((await response.json()) as CameraJson[]) : [];
  };
  /** camera → the boxes running it (online), over the agents still alive. */
  const placement = async () => {
    const where = new Map<string, string[]>();
    for (const box of agents.keys())
      for (const c of await camerasOn(box))
        if (c.state === 'online') where.set(c.id, [...(where.get(c.id) ?? []), box]);
    return where;
  };
  /** Resolves camera → box once every camera runs online on exactly one box. */
  const eachOnce = async () => {
    const where = await placement();
    if (CAMERAS.some((id) => where.get(id)?.length !== 1)) return undefined;
    return new Map(CAMERAS.map((id) => [id, where.get(id)?.[0] ?? '']));
  };
  const leaderOf = async (): Promise<string | undefined> => {
    for (const [box, agent] of agents) {
      const samples = await scrape(agent.url).catch(() => []);
      if (metricValue(samples, 'rxvision_fleet_leader', { box }) === 1) return box;
    }
    return undefined;
  };
  const kill9 = async (box: string) => {
    const agent = agents.get(box);
    agents.delete(box);
    agent?.process.kill('SIGKILL');
    await agent?.process.exited;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    broker = await startMosquitto();
    watcher = mqtt.connect(broker.url);
    watcher.on('message', (topic, payload) => {
      const box = /^rxvision\/agents\/([^/]+)\/available$/.exec(topic)?.[1];
      if (box) availability.set(box, payload.toString());
    });
    await new Promise<void>((resolve, reject) =>
      watcher?.once('connect', () =>
        watcher?.subscribe('rxvision/agents/+/available', (e) => (e ? reject(e) : resolve())),
      ),
    );
    dir = mkdtempSync(join(tmpdir(), 'rxv-fleet-'));
    for (const box of BOXES)
      writeFileSync(
        agentFile(box),
        [
          'http:',
          '  listen: 127.0.0.1:0',
          `mqtt: { url: ${broker.url} }`,
          'detectors:',
          '  default:',
          `    model: ${sharedPath('models', 'yolov7-tiny-640-untrained.onnx')}`,
          'fleet:',
          `  nats: { servers: [${nats.url}] }`,
          `  box: ${box}`,
          '  capacity: 10',
          ...Object.entries(TIMING).map(([k, v]) => `  ${k}: ${v}`),
        ].join('\n'),
      );
    writeFileSync(
      join(dir, 'cameras.yml'),
      [
        'cameras:',
        ...CAMERAS.map((id) => `  ${id}: { url: "lavfi:testsrc2=size=320x240:rate=5", fps: 1 }`),
      ].join('\n'),
    );
  }, 30_000);

  afterAll(async () => {
    for (const box of [...agents.keys()]) await kill9(box);
    watcher?.end(true);
    await broker?.stop();
    await nats?.stop();
  });

  it('runs every camera exactly once, fails over, rebalances within the hysteresis, and rides out NATS down', async () => {
    onTestFailed(() => {
      for (const [box, agent] of started) {
        const lines = agent
          .stderr()
          .split('\n')
          .filter((l) => /fleet|reload|camera (on|off)line|error/.test(l));
        console.error(`--- ${box}\n${lines.slice(-40).join('\n')}`);
      }
    });
    const applied = await run(process.execPath, [
      CLI,
      'fleet',
      'apply',
      '--config',
      agentFile('box-1'),
      join(dir, 'cameras.yml'),
    ]);
    expect(applied.stdout).toContain('6 camera(s) desired; added cam-1, cam-2, cam-3, cam-4, cam-5, cam-6');
    await Promise.all(BOXES.map(start));

    // Equal capacities: two cameras a box (the limit is the mean × 1.25 = 2.5). A box that starts
    // late gets its two when it joins, off the boxes above the limit.
    const initial = await waitFor(
      'all six cameras online, each on one box, two a box',
      async () => {
        const now = await eachOnce();
        return now && BOXES.every((box) => [...now.values()].filter((b) => b === box).length === 2)
          ? now
          : undefined;
      },
      120_000,
    );
    const status = JSON.parse(
      (await run(process.execPath, [CLI, 'fleet', 'status', '--config', agentFile('box-1'), '--json']))
        .stdout,
    ) as { leader?: { box: string }; cameras: Record<string, string>; boxes: unknown[] };
    expect(status.boxes).toHaveLength(3);
    expect(status.cameras).toEqual(Object.fromEntries(initial));
    const leader = await waitFor('a leader', leaderOf, 10_000);
    expect(status.leader?.box).toBe(leader);
    const shown = (await camerasOn(leader))[0]?.fleet;
    expect(shown).toMatchObject({ box: leader, role: 'leader' });
    expect(shown?.assignmentRevision).toBeGreaterThan(0);

    // One broker, three agents: each has its own availability topic (and Last Will).
    await waitFor('three agents online on the shared broker', () =>
      BOXES.every((b) => availability.get(b) === 'online') ? true : undefined,
    );

    // kill -9 a member: its two cameras run on the survivors within the target; nothing else moves.
    const victim = BOXES.find((b) => b !== leader) ?? 'box-1';
    const orphans = CAMERAS.filter((id) => initial.get(id) === victim);
    await kill9(victim);
    const afterKill = await waitFor('the dead box’s cameras online elsewhere', eachOnce, FAILOVER_MS);
    for (const id of CAMERAS.filter((c) => !orphans.includes(c)))
      expect(afterKill.get(id)).toBe(initial.get(id));
    for (const id of orphans) expect(afterKill.get(id)).not.toBe(victim);
    // Its Last Will marks only it offline.
    await waitFor(
      'the dead box offline',
      () => (availability.get(victim) === 'offline' ? true : undefined),
      30_000,
    );
    for (const box of BOXES.filter((b) => b !== victim)) expect(availability.get(box)).toBe('online');

    // Restart it: it gets cameras back only as far as the hysteresis asks (3+3 → 2+2+2: two moves).
    await start(victim);
    const rebalanced = await waitFor(
      'the restarted box running cameras again',
      async () => {
        const now = await eachOnce();
        return now && [...now.values()].includes(victim) ? now : undefined;
      },
      60_000,
    );
    await sleep(5000);
    const settled = await waitFor('a stable placement', eachOnce, 30_000);
    const moves = CAMERAS.filter((id) => settled.get(id) !== afterKill.get(id));
    expect(moves.length).toBeLessThanOrEqual(2);
    expect(settled).toEqual(rebalanced);

    // kill -9 the leader: another box takes the lease within its TTL (plus an interval or two).
    const oldLeader = (await leaderOf()) ?? leader;
    await kill9(oldLeader);
    const newLeader = await waitFor('a new leader', leaderOf, (TIMING.lease_ttl + 3) * 1000);
    expect(newLeader).not.toBe(oldLeader);
    const afterLeader = await waitFor('every camera online on the two survivors', eachOnce, FAILOVER_MS);

    // NATS down for 30 s: no camera stops or moves, during the outage or after it comes back.
    await nats.stop();
    const outageEnds = Date.now() + 30_000;
    while (Date.now() < outageEnds) {
      expect(await eachOnce()).toEqual(afterLeader);
      await sleep(2000);
    }
    await nats.start();
    await sleep(3 * TIMING.heartbeat_ttl * 1000);
    expect(await eachOnce()).toEqual(afterLeader);
    for (const { process } of agents.values()) {
      expect(process.stderr()).toContain('fleet: NATS unreachable; keeping the running cameras');
      expect(process.stderr()).toContain('fleet: NATS answers again');
    }
  }, 420_000);
});
