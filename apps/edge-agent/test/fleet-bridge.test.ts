import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, sleep, startAgent, waitFor } from './helpers/agent-process.js';

const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'deploy', 'mosquitto', 'edge-bridge.conf');
const OUTAGE_MS = 60_000;

/** A CA and a server certificate for 127.0.0.1, readable by the mosquitto user. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=rxvision test CA',
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.crt'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
  );
  writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.crt'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    path('san.ext'),
    '-out',
    path('server.crt'),
  );
  for (const f of ['ca.crt', 'server.crt', 'server.key']) chmodSync(path(f), 0o644);
  return { ca: path('ca.crt'), cert: path('server.crt'), key: path('server.key') };
}

/** deploy/mosquitto/edge-bridge.conf with the test's ports and files; every replaced line must exist. */
function edgeConfig(port: number, dir: string, centralPort: number, ca: string): string[] {
  let text = readFileSync(TEMPLATE, 'utf8');
  const replace = (line: string, by: string) => {
    expect(text.split('\n')).toContain(line);
    text = text
      .split('\n')
      .map((l) => (l === line ? by : l))
      .join('\n');
  };
  replace('listener 1883 127.0.0.1', `listener ${port} 127.0.0.1`);
  replace('persistence_location /var/lib/mosquitto/', `persistence_location ${dir}/`);
  replace('autosave_interval 10', 'autosave_interval 1');
  replace('address central.example.com:8883', `address 127.0.0.1:${centralPort}`);
  replace('bridge_cafile /etc/mosquitto/certs/central-ca.crt', `bridge_cafile ${ca}`);
  // The template backs off up to 60 s between tries; the test wants the reconnect soon after.
  replace('restart_timeout 5 60', 'restart_timeout 1 2');
  return [...text.split('\n'), 'log_dest none'];
}

describe('store-and-forward through the bridged edge mosquitto (deploy/mosquitto/edge-bridge.conf)', () => {
  let central: Mosquitto | undefined;
  let edge: Mosquitto | undefined;
  let agent: AgentProcess | undefined;
  const clients: mqtt.MqttClient[] = [];
  afterAll(async () => {
    agent?.kill('SIGKILL');
    for (const c of clients) c.end(true);
    await edge?.stop();
    await central?.stop();
  });

  it('delivers every QoS 1 event produced while the central broker was down for 60 s, in order, under fleet/<box>/', async () => {
    const certs = makeCertificates(mkdtempSync(join(tmpdir(), 'rxv-bridge-certs-')));
    chmodSync(join(certs.ca, '..'), 0o755);
    central = await startMosquitto({
      config: (port, dir) => [
        `listener ${port} 127.0.0.1`,
        `cafile ${certs.ca}`,
        `certfile ${certs.cert}`,
        `keyfile ${certs.key}`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        'autosave_interval 1',
        'log_dest none',
      ],
    });
    const centralPort = central.port;
    edge = await startMosquitto({ config: (port, dir) => edgeConfig(port, dir, centralPort, certs.ca) });

    // A durable subscriber on the central broker (persistent session, QoS 1), as an archiver runs.
    const atCentral: string[] = [];
    const archiver = mqtt.connect(`mqtts://127.0.0.1:${central.port}`, {
      ca: readFileSync(certs.ca),
      clientId: 'rxvision-test-archiver',
      clean: false,
      reconnectPeriod: 500,
    });
    clients.push(archiver);
    archiver.on('message', (_topic, payload) => atCentral.push(payload.toString()));
    await new Promise<void>((resolve, reject) => {
      archiver.once('connect', () =>
        archiver.subscribe('fleet/box-1/rxvision/events', { qos: 1 }, (e) => (e ? reject(e) : resolve())),
      );
      archiver.once('error', reject);
    });
    // What the agent published, as the edge broker saw it.
    const atEdge: string[] = [];
    const local = mqtt.connect(edge.url, { reconnectPeriod: 500 });
    clients.push(local);
    local.on('message', (_topic, payload) => atEdge.push(payload.toString()));
    await new Promise<void>((resolve, reject) =>
      local.once('connect', () =>
        local.subscribe('rxvision/events', { qos: 1 }, (e) => (e ? reject(e) : resolve())),
      ),
    );

    const file = join(mkdtempSync(join(tmpdir(), 'rxv-bridge-agent-')), 'agent.yml');
    writeFileSync(
      file,
      [
        `mqtt: { url: ${edge.url}, topic_prefix: rxvision }`,
        'http: { enabled: false }',
        `detectors: { default: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')} } }`,
        'cameras:',
        `  hall: { url: ${sharedPath('videos', 'people-walking-indoor.mp4')}, fps: 2 }`,
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', file]);
    await waitFor(
      'a first event through the bridge',
      () => (atCentral.length > 0 ? true : undefined),
      90_000,
    );

    await central.stop();
    const edgeBefore = atEdge.length;
    await sleep(OUTAGE_MS);
    const duringOutage = atEdge.length - edgeBefore;
    expect(duringOutage).toBeGreaterThan(0);
    await central.start();

    await sleep(5000);
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const published = [...atEdge];
    await waitFor(
      'every event at the central broker',
      () => (published.every((m) => atCentral.includes(m)) ? true : undefined),
      60_000,
    );
    // In order: the first arrival of each message follows the order the agent published them.
    const firsts = atCentral.filter((m, i) => atCentral.indexOf(m) === i);
    expect(firsts.slice(0, published.length)).toEqual(published);
    // At-least-once: a message may come twice where a reconnect resent what was in flight, no more.
    const repeats = atCentral.length - firsts.length;
    expect(repeats).toBeLessThanOrEqual(20);
    expect(atCentral.every((m) => atCentral.filter((x) => x === m).length <= 2)).toBe(true);
    console.info(
      `bridge: ${published.length} events, ${duringOutage} during the 60 s outage, ${repeats} repeated`,
    );
  }, 300_000);
});
