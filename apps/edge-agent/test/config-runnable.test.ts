import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigText } from '../src/config/load.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'rxv-runnable-'));
const MODEL = sharedPath('models', 'yolov5s-coco-640.onnx');
const CLIP = sharedPath('videos', 'people-walking-indoor.mp4');

function write(name: string, text: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function cli(command: 'validate' | 'run', file: string) {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [CLI, command, '--config', file, ...(command === 'run' ? ['--http', '127.0.0.1:0'] : [])],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 30_000,
    },
  );
  return { ...run, ms: Date.now() - started };
}

const config = (model: string, url: string) =>
  `detectors:\n  yolo:\n    model: ${JSON.stringify(model)}\ncameras:\n  door:\n    url: ${JSON.stringify(url)}\n`;

describe('validate and run refuse what validates but cannot run (the built CLI)', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'a missing model',
      config(join(dir, 'nope.onnx'), CLIP),
      /detectors\.yolo\.model: ".*nope\.onnx": file not found\. Fix: give the path of a YOLO `\.onnx` file/,
    ],
    [
      'a model that is not ONNX',
      config(write('photo.onnx', readFileSync(sharedPath('images', 'yolov7', 'bus.jpg'))), CLIP),
      /detectors\.yolo\.model: .*not an ONNX model/,
    ],
    [
      'a cut-off model',
      config(write('cut.onnx', readFileSync(MODEL).subarray(0, 200_000)), CLIP),
      /detectors\.yolo\.model: .*the file is cut off: its graph needs \d+ bytes, the file has 200000/,
    ],
    ['a directory as model', config(dir, CLIP), /detectors\.yolo\.model: .*is a directory/],
    [
      'an unknown URL scheme',
      config(MODEL, 'htp:/10.0.0.7/stream'),
      /cameras\.door\.url: unknown URL scheme "htp:"\. Fix: write a URL starting with `rtsp:\/\/`, `rtsps:\/\/`, `http:\/\/`/,
    ],
    [
      'a Jetson CSI camera',
      config(MODEL, 'csi://0'),
      /cameras\.door\.url: "csi:\/\/" sources cannot be opened by FFmpeg\. Fix: bridge the Jetson CSI camera to RTSP and use that URL: `gst-launch-1\.0 nvarguscamerasrc ! .*, or, if the sensor has a V4L2 node, `url: \/dev\/video0`/,
    ],
    [
      'a missing clip',
      config(MODEL, join(dir, 'clip.mp4')),
      /cameras\.door\.url: ".*clip\.mp4": no such file/,
    ],
    [
      'no camera',
      `detectors:\n  yolo:\n    model: ${MODEL}\n`,
      /cameras: no camera is configured\. Fix: add `cameras:/,
    ],
  ];

  it.each(cases)('validate exits 1 naming %s, its key and a fix', (_what, text, message) => {
    const run = cli('validate', write('v.yml', text));
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
  });

  it.each(
    cases.filter(([what]) =>
      ['a missing model', 'an unknown URL scheme', 'a Jetson CSI camera', 'no camera'].includes(what),
    ),
  )('run exits 1 at once, before any camera starts, for %s', (_what, text, message) => {
    const run = cli('run', write('r.yml', text));
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('camera started');
    expect(run.status).toBe(1);
  });

  it('accepts a real model and clip', () => {
    const run = cli('validate', write('ok.yml', config(MODEL, CLIP)));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, 'x.yml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}. Fix: ${i.hint}`);
    throw err;
  }
  return [];
}

const RESTREAMING =
  'detectors: { d: { model: m.onnx } }\ncameras:\n  door:\n    url: a.mp4\n    restream: true\n';

describe('rtsp.listen: serving beyond this machine is a decision', () => {
  it('listens on 127.0.0.1:8554 by default; the older host/port keys still work', () => {
    expect(parseConfigText(RESTREAMING, 'x.yml', {}).rtsp).toEqual({
      host: '127.0.0.1',
      port: 8554,
      allowAnonymous: false,
    });
    expect(parseConfigText(`rtsp: { port: 9554 }\n${RESTREAMING}`, 'x.yml', {}).rtsp).toMatchObject({
      host: '127.0.0.1',
      port: 9554,
    });
    expect(parseConfigText(`rtsp: { listen: "[::1]:8555" }\n${RESTREAMING}`, 'x.yml', {}).rtsp).toMatchObject(
      { host: '::1', port: 8555 },
    );
  });

  it('refuses a non-loopback address without a login, naming the key and both fixes', () => {
    for (const rtsp of ['{ listen: 0.0.0.0:8554 }', '{ host: 192.168.1.5 }']) {
      const [issue, ...rest] = issuesOf(`rtsp: ${rtsp}\n${RESTREAMING}`);
      expect(rest).toEqual([]);
      expect(issue).toMatch(
        /^rtsp\.listen: the restreams would be served on .*, beyond this machine, without a login\. Fix: set `rtsp\.user` and `rtsp\.password`.*or write `rtsp\.allow_anonymous: true`/,
      );
    }
  });

  it('serves beyond loopback with a login or allow_anonymous, and does not care while nothing restreams', () => {
    const login = parseConfigText(
      `rtsp: { listen: 0.0.0.0:8554, user: v, password: p }\n${RESTREAMING}`,
      'x.yml',
      {},
    );
    expect(login.rtsp).toMatchObject({ host: '0.0.0.0', credentials: { username: 'v', password: 'p' } });
    expect(issuesOf(`rtsp: { listen: 0.0.0.0:8554, allow_anonymous: true }\n${RESTREAMING}`)).toEqual([]);
    expect(
      issuesOf(`rtsp: { listen: 0.0.0.0:8554 }\n${RESTREAMING.replace('restream: true', 'restream: false')}`),
    ).toEqual([]);
  });

  it('refuses listen together with the older keys, and a listen that is not host:port', () => {
    expect(issuesOf(`rtsp: { listen: 127.0.0.1:8554, port: 9000 }\n${RESTREAMING}`)).toEqual([
      'rtsp.port: `listen` replaces the older `host` and `port`. Fix: keep only `listen: 127.0.0.1:8554`',
    ]);
    expect(issuesOf(`rtsp: { listen: "cam:x" }\n${RESTREAMING}`)[0]).toMatch(
      /^rtsp\.listen: is not host:port/,
    );
  });

  it('quotes at most a short, redacted prefix of a bad value', () => {
    const secret = 'mqtt-but-wrong://user:S3cretPassw0rd@broker.example.com:1883/and/a/long/tail';
    const [issue] = issuesOf(`mqtt: { url: "${secret}" }\n${RESTREAMING}`);
    expect(issue).toMatch(/^mqtt\.url: ".{1,32}…" is not an MQTT URL/);
    expect(issue).not.toContain('S3cret');
  });
});
