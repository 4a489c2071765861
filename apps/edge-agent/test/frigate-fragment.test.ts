import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, startAgent, waitFor } from './helpers/agent-process.js';

interface EventMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly after: { label: string; camera: string; entered_zones: string[]; current_zones: string[] };
}

describe('a config fragment pasted from Frigate runs as written (real clip, real mosquitto)', () => {
  let broker: Mosquitto;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await broker?.stop();
  });

  it('relative zone coordinates, objects.track/filters and logger.default: a person walking into the zone enters it on MQTT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-frigate-'));
    const config = join(dir, 'frigate.yml');
    // Frigate's reference-config shapes, unchanged: mqtt host/port, logger.default, objects.track and
    // filters, zone coordinates relative to the frame (Frigate 0.14+), inertia and loitering_time.
    // The zone is the right half of the frame, where the clip's people walk (x ≈ 380–550 of 768 px).
    writeFileSync(
      config,
      [
        'mqtt:',
        '  host: 127.0.0.1',
        `  port: ${broker.port}`,
        '  topic_prefix: frigate',
        'logger:',
        '  default: info',
        'objects:',
        '  track:',
        '    - person',
        '  filters:',
        '    person:',
        '      min_score: 0.5',
        '      threshold: 0.7',
        '      min_area: 5000',
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        '  hall:',
        `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
        '    fps: 5',
        '    zones:',
        '      doorway:',
        '        coordinates: 0.5,0,1,0,1,1,0.5,1',
        '        inertia: 2',
        '        loitering_time: 0',
        '        objects:',
        '          - person',
      ].join('\n'),
    );
    const subscriber = await mqtt.connectAsync(broker.url);
    const events: EventMessage[] = [];
    const retained = new Map<string, string>();
    subscriber.on('message', (topic, payload) => {
      const text = payload.toString();
      if (topic === 'frigate/events') events.push(JSON.parse(text) as EventMessage);
      else retained.set(topic, text);
    });
    await subscriber.subscribeAsync('frigate/#', { qos: 1 });
    try {
      agent = startAgent(['run', '--config', config]);
      const entered = await waitFor(
        'a person event that entered the relative zone',
        () => events.find((e) => e.after.label === 'person' && e.after.entered_zones.includes('doorway')),
        120_000,
      );
      expect(entered.after.camera).toBe('hall');
      await waitFor('a retained doorway person count ≥ 1', () =>
        Number(retained.get('frigate/doorway/person')) >= 1 ? true : undefined,
      );
      // logger.default: info is the level: info lines are logged, debug lines are not.
      expect(agent.stderr()).toContain('"level":"info"');
      expect(agent.stderr()).not.toContain('"level":"debug"');
    } finally {
      await subscriber.endAsync();
    }
  }, 180_000);
});
