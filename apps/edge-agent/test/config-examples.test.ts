import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/load.js';

const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'config');
const EXAMPLES = ['edge-agent.example.yml', 'file-as-camera.yml'];
const schema: unknown = JSON.parse(readFileSync(join(CONFIG_DIR, 'edge-agent.schema.json'), 'utf8'));
const validateSchema = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema as object);

describe('the shipped example configs', () => {
  it.each(EXAMPLES)('%s names the JSON Schema on its first line', (name) => {
    const first = readFileSync(join(CONFIG_DIR, name), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./edge-agent.schema.json');
  });

  it.each(EXAMPLES)('%s passes the JSON Schema (ajv) and the agent validation', (name) => {
    const file = join(CONFIG_DIR, name);
    const ok = validateSchema(parse(readFileSync(file, 'utf8')));
    expect(validateSchema.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const config = loadConfig(file, { DRIVEWAY_PASSWORD: 'a', BACKYARD_PASSWORD: 'b' });
    expect(Object.keys(config.cameras).length).toBeGreaterThan(0);
  });

  it('the JSON Schema refuses what the agent refuses: a misspelt key and a value out of range', () => {
    expect(validateSchema({ cameras: { front: { url: 'a.mp4', fsp: 5 } } })).toBe(false);
    expect(validateSchema({ detectors: { d: { model: 'm.onnx', batch_size: 0 } } })).toBe(false);
  });

  it('sets every option the libraries take in edge-agent.example.yml', () => {
    const config = loadConfig(join(CONFIG_DIR, 'edge-agent.example.yml'), {
      DRIVEWAY_PASSWORD: 'a',
      BACKYARD_PASSWORD: 'b',
      MQTT_CA: '/etc/ssl/ca.pem',
      MQTT_CERT: '/etc/ssl/client.pem',
      MQTT_KEY: '/etc/ssl/client.key',
      RESTREAM_PUSH_URL: 'rtsp://mediamtx:8554/driveway',
    });
    expect(config.mqtt).toMatchObject({
      tls: {
        caFile: '/etc/ssl/ca.pem',
        certFile: '/etc/ssl/client.pem',
        keyFile: '/etc/ssl/client.key',
        rejectUnauthorized: true,
      },
      qos: { events: 1, detections: 0 },
      statsInterval: 60,
      discovery: true,
      discoveryPrefix: 'homeassistant',
    });
    expect(config.rtsp.credentials?.username).toBe('viewer');
    expect(config.detectors.default?.labelsPath).toBe('/opt/rxvision/models/coco.names');
    const driveway = config.cameras.driveway;
    expect(driveway).toMatchObject({
      decode: {
        size: { width: 1280, height: 720 },
        hwaccel: 'vaapi',
        hwaccelDevice: '/dev/dri/renderD128',
        inputArgs: ['-rtsp_flags', 'prefer_tcp', '-timeout', '5000000'],
      },
      restream: {
        enabled: true,
        path: '/driveway-annotated',
        encoder: 'libx264',
        encoderArgs: ['-preset', 'ultrafast', '-tune', 'zerolatency'],
        publishUrl: 'rtsp://mediamtx:8554/driveway',
      },
      snapshots: { quality: 70, height: 360, crop: true, boundingBox: true },
    });
    expect(driveway?.zones[0]).toMatchObject({ name: 'porch', inertia: 3, objects: ['person'] });
    expect(driveway?.lines[0]).toMatchObject({ name: 'gate', inertia: 2, objects: ['person', 'car'] });
  });
});
