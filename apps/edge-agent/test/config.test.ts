import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { configFromFlags } from '../src/config/flags.js';
import { ConfigError } from '../src/config/issues.js';
import { loadConfig, parseConfigText } from '../src/config/load.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli.js');
const CONFIG_DIR = join(here, '..', '..', '..', 'config');
const dir = mkdtempSync(join(tmpdir(), 'rxv-config-'));

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function validate(file: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, 'validate', '--config', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, 'x.yml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('edge-agent validate (the built CLI)', () => {
  it('accepts the shipped example configs', () => {
    // validate checks the model, labels and clip exist: point the examples' variables at the shared assets.
    const env = {
      DRIVEWAY_PASSWORD: 'a',
      BACKYARD_PASSWORD: 'b',
      RXVISION_MODEL: sharedPath('models', 'yolov5s-coco-640.onnx'),
      RXVISION_LABELS: sharedPath('images', 'darknet', 'coco.names'),
      RXVISION_CLIP: sharedPath('videos', 'people-walking-indoor.mp4'),
    };
    for (const name of ['edge-agent.example.yml', 'file-as-camera.yml']) {
      const run = validate(join(CONFIG_DIR, name), env);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('valid');
    }
  });

  it('gives three broken configs three precise messages and a non-zero exit', () => {
    const typo = writeConfig(
      'typo.yml',
      'detectors:\n  default:\n    model: m.onnx\ncameras:\n  front:\n    url: rtsp://cam/1\n    fsp: 5\n',
    );
    const range = writeConfig(
      'range.yml',
      'detectors:\n  default:\n    model: m.onnx\n    batch_size: 0\ncameras:\n  front:\n    url: rtsp://cam/1\n',
    );
    const missing = writeConfig(
      'missing.yml',
      'detectors:\n  yolo:\n    model: m.onnx\ncameras:\n  front:\n    url: rtsp://cam/1\n    detector: yolov7\n',
    );
    const a = validate(typo);
    expect(a.status).toBe(1);
    expect(a.stderr).toContain('cameras.front.fsp: unknown key');
    expect(a.stderr).toContain('did you mean `fps`?');

    const b = validate(range);
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('detectors.default.batch_size: 0 is out of range');
    expect(b.stderr).toContain('use an integer from 1 to 64');

    const c = validate(missing);
    expect(c.status).toBe(1);
    expect(c.stderr).toContain('cameras.front.detector: no detector named "yolov7"');
    expect(c.stderr).toContain('use one of: yolo');
  });

  it('reports a YAML syntax error with its line, and a missing file', () => {
    const bad = validate(writeConfig('syntax.yml', 'cameras:\n  front:\n    url: [unclosed\n'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/line \d+, column \d+: YAML syntax error/);
    const none = validate(join(dir, 'nope.yml'));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('file not found');
  });
});

describe('config loading', () => {
  it('substitutes environment variables (with defaults), and names the key of an unset variable', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax under test
    const text = 'mqtt:\n  url: mqtt://${HOST:-localhost}:1883\n  password: ${PW}\n';
    const config = parseConfigText(text, 'x.yml', { PW: 's3cret' });
    expect(config.mqtt?.url).toBe('mqtt://localhost:1883');
    expect(config.mqtt?.password).toBe('s3cret');
    expect(issuesOf(text)).toEqual(['mqtt.password: environment variable PW is not set']);
  });

  it('fills defaults and reads zones, lines, providers and restream the Frigate way', () => {
    const config = parseConfigText(
      [
        'detectors:',
        '  d1:',
        '    model: m.onnx',
        '    providers: [{ cuda: { device_id: 1 } }, cpu]',
        'cameras:',
        '  door:',
        '    url: rtsp://u:p@cam/1',
        '    zones: { porch: { coordinates: "0,0,10,0,10,10" } }',
        '    lines: { gate: { coordinates: [[5, 0], [5, 10]] } }',
        '    restream: true',
        '    tracker: { type: sort, box: filter }',
      ].join('\n'),
    );
    const door = config.cameras.door;
    expect(door?.detector).toBe('d1');
    expect(door?.zones).toEqual([
      {
        name: 'porch',
        coordinates: [
          [0, 0],
          [10, 0],
          [10, 10],
        ],
        relative: false,
      },
    ]);
    expect(door?.lines).toEqual([
      {
        name: 'gate',
        coordinates: [
          [5, 0],
          [5, 10],
        ],
        relative: false,
      },
    ]);
    expect(door?.restream).toEqual({ enabled: true, path: '/door-annotated' });
    expect(door?.tracker.type).toBe('sort');
    expect(door?.tracker.box).toBe('filter');
    expect(door?.live).toBe(true);
    expect(config.detectors.d1?.providers).toEqual([
      { name: 'cuda', options: { device_id: 1 } },
      { name: 'cpu', options: {} },
    ]);
    expect(config.http).toEqual({ enabled: true, host: '127.0.0.1', port: 9464 });
  });

  it('names the two box choices when tracker.box is something else', () => {
    const text =
      'detectors: { d: { model: m.onnx } }\ncameras:\n  door:\n    url: rtsp://cam/1\n    tracker: { box: kalman }\n';
    expect(issuesOf(text)).toEqual(['cameras.door.tracker.box: unknown value "kalman"']);
    try {
      parseConfigText(text, 'x.yml', {});
    } catch (err) {
      expect((err as ConfigError).issues[0]?.hint).toBe('use one of: detection, filter');
    }
  });

  it('collects every problem of a file in one pass', () => {
    const issues = issuesOf(
      'mqtt:\n  url: http://x\n  topic_prefix: a/#\ncameras:\n  "bad id":\n    url: x\n    zones: { z: { coordinates: "1,2,3,4" } }\n',
    );
    expect(issues).toEqual([
      'mqtt.url: "http://x" is not an MQTT URL',
      'mqtt.topic_prefix: "a/#" cannot prefix topics',
      'cameras.bad id: camera ids may use letters, digits, `_` and `-` only (they become MQTT topics)',
      'cameras.bad id.detector: no detector is configured',
      'cameras.bad id.zones.z.coordinates: a zone needs at least 3 points, got 2',
    ]);
  });

  it('refuses zone, line and label names that would break MQTT topics', () => {
    const issues = issuesOf(
      [
        'detectors: { d: { model: a.onnx } }',
        'cameras:',
        '  door:',
        '    url: a.mp4',
        '    objects: [person, traffic light, "car+", "a/b"]',
        '    zones: { "a/b": { coordinates: "0,0,10,0,10,10" }, "porch+": { coordinates: "0,0,10,0,10,10" }, ok_zone: { coordinates: "0,0,10,0,10,10" } }',
        '    lines: { "gate#": { coordinates: "0,0,10,10" } }',
      ].join('\n'),
    );
    expect(issues).toEqual([
      'cameras.door.objects[2]: label "car+" cannot be an MQTT topic level (contains `/`, `#` or `+`)',
      'cameras.door.objects[3]: label "a/b" cannot be an MQTT topic level (contains `/`, `#` or `+`)',
      'cameras.door.zones.a/b: zone names may use letters, digits, `_` and `-` only (they become MQTT topics)',
      'cameras.door.zones.porch+: zone names may use letters, digits, `_` and `-` only (they become MQTT topics)',
      'cameras.door.lines.gate#: line names may use letters, digits, `_` and `-` only (they become MQTT topics)',
    ]);
  });

  it('refuses a shared restream path and a zone named like a camera', () => {
    const issues = issuesOf(
      [
        'detectors: { d: { model: a.onnx } }',
        'cameras:',
        '  door: { url: a.mp4, restream: { path: /shared } }',
        '  yard: { url: b.mp4, restream: { path: shared }, zones: { door: { coordinates: "0,0,10,0,10,10" } } }',
        '  off: { url: c.mp4, enabled: false, restream: { path: /shared } }',
      ].join('\n'),
    );
    expect(issues).toEqual([
      'cameras.yard.restream.path: "/shared" is also the restream path of camera door',
      'cameras.yard.zones.door: zone "door" has the name of a camera, so their MQTT topics `<prefix>/door/<label>` collide',
    ]);
  });

  it('lets flags override the file and stand in for it', () => {
    const file = writeConfig(
      'base.yml',
      'mqtt: { url: mqtt://a:1883 }\nhttp: { allow_anonymous: true }\ndetectors: { d: { model: a.onnx } }\ncameras: { x: { url: a.mp4 } }\n',
    );
    const config = loadConfig(file, process.env, {
      model: 'b.onnx',
      sources: ['y=rtsp://cam/2'],
      mqtt: 'mqtt://b:1883',
      prefix: 'home',
      http: '0.0.0.0:9000',
    });
    expect(config.detectors.d?.model).toBe('b.onnx');
    expect(Object.keys(config.cameras)).toEqual(['x', 'y']);
    expect(config.cameras.y?.detector).toBe('d');
    expect(config.mqtt).toEqual({ url: 'mqtt://b:1883', topicPrefix: 'home' });
    expect(config.http).toEqual({ enabled: true, host: '0.0.0.0', port: 9000 });
    const fromNothing = configFromFlags({ model: 'm.onnx', sources: ['cam=v.mp4'] });
    expect(fromNothing.cameras.cam?.detector).toBe('default');
    expect(() => configFromFlags({ sources: ['nourl'] })).toThrow(/--source\[0\]: "nourl" is not <id>=<url>/);
  });
});
