import { createMqttPublisher, toMqtt } from '@rxvision/sinks';
import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../src/config/flags.js';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigText } from '../src/config/load.js';

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, 'x.yml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

const CAMERA = 'detectors: { d: { model: m.onnx } }\ncameras:\n  door:\n    url: a.mp4\n';

describe('config rules shared with the libraries', () => {
  it('refuses every topic prefix the MQTT publisher would refuse, so none throws later', () => {
    for (const prefix of ['a//b', 'a/+', '/a', 'a/']) {
      expect(issuesOf(`mqtt: { url: mqtt://x:1883, topic_prefix: "${prefix}" }`)).toEqual([
        `mqtt.topic_prefix: "${prefix}" cannot prefix topics`,
      ]);
    }
    expect(issuesOf('mqtt: { url: mqtt://x:1883, discovery_prefix: "ha/#" }')).toEqual([
      'mqtt.discovery_prefix: "ha/#" cannot prefix topics',
    ]);
    const config = parseConfigText(
      `mqtt: { url: mqtt://127.0.0.1:1, topic_prefix: home/cameras }\n${CAMERA}    objects: [traffic light]\n`,
    );
    const mqtt = config.mqtt;
    const door = config.cameras.door;
    if (!mqtt || !door) throw new Error('expected mqtt and a camera');
    const publisher = createMqttPublisher({
      url: mqtt.url,
      topicPrefix: mqtt.topicPrefix,
      connectTimeout: 10,
    });
    expect(() => toMqtt(publisher, { camera: door.id, labels: door.objects ?? [] })).not.toThrow();
    void publisher.close(0);
  });

  it('hands zone and line inertia and objects to the runtime config in the tracker shape', () => {
    const config = parseConfigText(
      `${CAMERA}    zones: { porch: { coordinates: [0, 0, 10, 0, 10, 10], inertia: 5, objects: [person] } }\n    lines: { gate: { coordinates: "0,0,0,10", inertia: 2, deadband: 0.1, objects: [car] } }\n`,
    );
    expect(config.cameras.door?.zones).toEqual([
      {
        name: 'porch',
        coordinates: [
          [0, 0],
          [10, 0],
          [10, 10],
        ],
        inertia: 5,
        objects: ['person'],
        relative: false,
      },
    ]);
    expect(config.cameras.door?.lines).toEqual([
      {
        name: 'gate',
        coordinates: [
          [0, 0],
          [0, 10],
        ],
        inertia: 2,
        deadband: 0.1,
        objects: ['car'],
        relative: false,
      },
    ]);
  });

  it('refuses a line whose two points are the same, which the tracker would throw on', () => {
    expect(issuesOf(`${CAMERA}    lines: { gate: { coordinates: "5,5,5,5" } }\n`)).toEqual([
      'cameras.door.lines.gate.coordinates: its two points are the same',
    ]);
  });

  it('reads numbers and flags written as text (as a substituted variable gives them), and treats a key with no value as absent', () => {
    const config = parseConfigText(`mqtt:\nhttp:\n${CAMERA}    fps: "5"\n    live: "false"\n`);
    expect(config.mqtt).toBeUndefined();
    expect(config.cameras.door?.fps).toBe(5);
    expect(config.cameras.door?.live).toBe(false);
  });

  it('checks pairs of keys that only work together', () => {
    expect(
      issuesOf(
        `mqtt: { host: x, tls_client_cert: c.pem }\nrtsp: { user: viewer }\n${CAMERA}    width: 640\n    hwaccel: opencl\n`,
      ),
    ).toEqual([
      'mqtt.tls_client_key: a client certificate needs its key (and the key its certificate)',
      'rtsp.password: a login needs both `user` and `password`',
      'cameras.door.height: a detect size needs both `width` and `height`',
      'cameras.door.hwaccel: unknown value "opencl"',
    ]);
  });

  it('names the flag that set a wrong value', () => {
    expect(() => configFromFlags({ mqtt: 'mqtt://x:1883', prefix: 'a/#' })).toThrow(
      /--prefix: "a\/#" cannot prefix topics/,
    );
    expect(() => configFromFlags({ http: 'nowhere' })).toThrow(/--http: "nowhere" is not host:port/);
    expect(() => configFromFlags({ logLevel: 'loud' })).toThrow(/--log-level: unknown value "loud"/);
    expect(() => configFromFlags({ prefix: 'home' })).toThrow(/--prefix: a topic prefix without a broker/);
  });
});
