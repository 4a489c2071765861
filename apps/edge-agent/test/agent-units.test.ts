import { Writable } from 'node:stream';
import { Counter, Registry } from 'prom-client';
import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CameraManager } from '../src/agent/camera-manager.js';
import { diffCameras } from '../src/agent/config-diff.js';
import { toExecutionProviders } from '../src/agent/providers.js';
import { parseConfigText } from '../src/config/load.js';
import type { CameraConfig } from '../src/config/types.js';
import { renderStatus } from '../src/ops/console-status.js';
import { TotalsSync } from '../src/ops/counter-sync.js';
import { createLogger } from '../src/ops/logger.js';
import { redact, redactText } from '../src/ops/redact.js';

const base = (cameras: string, detector = 'm.onnx') =>
  parseConfigText(`detectors: { default: { model: ${detector} } }\ncameras:\n${cameras}`);

describe('diffCameras (what a SIGHUP does)', () => {
  it('sorts cameras into added, removed, changed and unchanged; a changed detector restarts its cameras', () => {
    const before = base(
      '  a: { url: a.mp4 }\n  b: { url: b.mp4 }\n  c: { url: c.mp4, fps: 2 }\n  d: { url: d.mp4, enabled: false }',
    );
    const after = base(
      '  a: { url: a.mp4 }\n  c: { url: c.mp4, fps: 5 }\n  d: { url: d.mp4 }\n  e: { url: e.mp4 }',
    );
    expect(diffCameras(before, after)).toEqual({
      added: ['d', 'e'],
      removed: ['b'],
      changed: ['c'],
      unchanged: ['a'],
    });
    const newModel = base('  a: { url: a.mp4 }', 'other.onnx');
    expect(diffCameras(base('  a: { url: a.mp4 }'), newModel).changed).toEqual(['a']);
  });
});

describe('logs never show passwords', () => {
  it('redacts URL passwords and secret-named fields, in JSON lines when not on a terminal', () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLogger({ stream, level: 'info' }).child({ camera: 'door' });
    log.debug('hidden at info level');
    log.info('opening rtsp://admin:hunter2@10.0.0.5/live', {
      url: 'rtsp://admin:hunter2@cam/1',
      password: 'hunter2',
      fps: 5,
    });
    const line = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(out).not.toContain('hunter2');
    expect(line).toMatchObject({
      level: 'info',
      camera: 'door',
      url: 'rtsp://admin:***@cam/1',
      password: '***',
      fps: 5,
    });
    expect(line.msg).toBe('opening rtsp://admin:***@10.0.0.5/live');
    expect(redactText('mqtt://u:p@b:1883 and http://x/y')).toBe('mqtt://u:***@b:1883 and http://x/y');
    expect(redact({ nested: [{ token: 'abc' }] })).toEqual({ nested: [{ token: '***' }] });
  });

  it('hides passwords holding @, /, : or %-escapes whole, in texts, fields and errors, and keeps the user', () => {
    expect(redactText('rtsp://viewer:p@ss@host/x')).toBe('rtsp://viewer:***@host/x');
    expect(redactText('rtsp://viewer:a/b@host')).toBe('rtsp://viewer:***@host');
    expect(redactText('rtsp://viewer:a:b@host:554/x')).toBe('rtsp://viewer:***@host:554/x');
    expect(redactText('rtsp://viewer:p%40%2Fs@host/x')).toBe('rtsp://viewer:***@host/x');
    const value = redact({
      cameras: [{ url: 'rtsp://viewer:a/b@c@cam/1', apiToken: 'xyz' }],
      error: new Error("open 'rtsp://viewer:q@r/s@cam/2' failed"),
    });
    expect(value).toEqual({
      cameras: [{ url: 'rtsp://viewer:***@cam/1', apiToken: '***' }],
      error: "open 'rtsp://viewer:***@cam/2' failed",
    });
    expect(JSON.stringify(value)).not.toMatch(/a\/b|q@r/);
  });
});

describe('console status and providers', () => {
  it('renders one aligned row per camera', () => {
    const text = renderStatus(
      [
        {
          camera: 'front',
          state: 'online',
          fps: 4.96,
          inferenceMs: 81.4,
          objects: 2,
          dropped: 3,
          processed: 120,
        },
      ],
      'rxvision',
    );
    expect(text.split('\n')).toEqual([
      'rxvision',
      'camera  state   fps  infer ms  objects  dropped  processed',
      'front   online  5.0  81        2        3        120',
    ]);
  });

  it('turns snake_case provider options into the detector’s camelCase', () => {
    expect(
      toExecutionProviders([
        { name: 'tensorrt', options: { fp16: true, engine_cache_path: '/c' } },
        { name: 'cpu', options: {} },
      ]),
    ).toEqual([{ name: 'tensorrt', fp16: true, engineCachePath: '/c' }, 'cpu']);
  });
});

describe('TotalsSync (running totals into Prometheus counters)', () => {
  it('adds only increases, and forgetting one camera leaves a camera whose id extends it alone', async () => {
    const registry = new Registry();
    const dropped = new Counter({
      name: 'dropped',
      help: 'h',
      labelNames: ['camera'],
      registers: [registry],
    });
    const totals = new TotalsSync();
    const value = async (camera: string) =>
      (await dropped.get()).values.find((v) => v.labels.camera === camera)?.value ?? 0;
    totals.counter('camera:front:dropped', dropped, { camera: 'front' }, 5);
    totals.counter('camera:front2:dropped', dropped, { camera: 'front2' }, 7);
    totals.counter('camera:front:dropped', dropped, { camera: 'front' }, 8);
    expect(await value('front')).toBe(8);
    // front is removed and re-added: its detector totals restart from 0, front2's do not.
    totals.forget('camera:front');
    totals.counter('camera:front:dropped', dropped, { camera: 'front' }, 2);
    totals.counter('camera:front2:dropped', dropped, { camera: 'front2' }, 7);
    expect(await value('front')).toBe(10);
    expect(await value('front2')).toBe(7);
  });
});

describe('camera stats (what /api/cameras and the console status show)', () => {
  it('reads the detector’s drops and the source’s counters when asked, with no /metrics scrape in between', async () => {
    const detectorCounts = { framesIn: 10, processed: 7, dropped: 3 };
    const sourceCounts = { reconnects: 1, stalls: 0 };
    const manager = new CameraManager(
      (_camera, _stop$, stats) => {
        stats.attach({
          source: { stats: () => ({ ...sourceCounts }) },
          detector: { stats: () => ({ cameras: { front: { ...detectorCounts } } }) },
        });
        return NEVER;
      },
      createLogger({ stream: new Writable({ write: (_c, _e, done) => done() }), level: 'error' }),
    );
    manager.start({ id: 'front', url: 'rtsp://viewer:secret@cam/1' } as CameraConfig);
    expect(manager.stats()[0]).toMatchObject({ id: 'front', dropped: 3, reconnects: 1, stalls: 0 });
    detectorCounts.dropped = 5;
    sourceCounts.stalls = 2;
    expect(manager.stats()[0]).toMatchObject({ dropped: 5, stalls: 2 });
    expect(manager.stats()[0]?.url).toBe('rtsp://viewer:***@cam/1');
    await manager.stopAll(10);
  });
});
