import { SnapshotStore } from '@rxvision/sinks';
import { describe, expect, it } from 'vitest';
import type { CameraStats } from '../src/agent/camera-stats.js';
import { parseConfigText } from '../src/config/load.js';
import { frigateConfig } from '../src/ops/frigate-api/config-route.js';
import type { FrigateApiSource } from '../src/ops/frigate-api/frigate-source.js';
import { LatestFrames } from '../src/ops/frigate-api/latest-frames.js';
import { frigateStats } from '../src/ops/frigate-api/stats-route.js';

const CONFIG = parseConfigText(
  [
    'mqtt: { url: "mqtt://broker:1883", topic_prefix: home }',
    'rtsp: { listen: "127.0.0.1:8554" }',
    'detectors:',
    '  fast: { model: /models/a.onnx }',
    '  big: { model: /models/b.onnx }',
    'cameras:',
    '  door: { url: "rtsp://viewer:hunter2@cam/door", detector: fast, objects: [person, car], restream: true,',
    '          zones: { porch: { coordinates: "0,0,10,0,10,10", objects: [person] } } }',
    '  yard: { url: "rtsp://cam/yard", detector: fast, snapshots: false }',
  ].join('\n'),
);

const stats = (id: string, state: CameraStats['state'], fps: number, inferenceMs: number): CameraStats => ({
  id,
  url: '',
  state,
  framesIn: 0,
  framesProcessed: 0,
  dropped: 0,
  reconnects: 0,
  stalls: 0,
  restarts: 0,
  fps,
  inferenceMs,
  objects: 0,
});

const source = (cameras: CameraStats[]): FrigateApiSource => ({
  agentVersion: '1.2.3',
  config: () => CONFIG,
  cameras: () => cameras,
  uptimeSeconds: () => 42,
  events: new SnapshotStore(),
  latest: new LatestFrames(),
});

describe('Frigate API shapes from a real parsed config', () => {
  it('/api/stats: an offline camera reads 0 fps; a detector’s speed is its cameras’ mean; unused detectors read 0', () => {
    const out = frigateStats(source([stats('door', 'online', 4.96, 30), stats('yard', 'offline', 5, 50)]));
    expect(out.cameras).toEqual({
      door: {
        camera_fps: 5,
        process_fps: 5,
        skipped_fps: 0,
        detection_fps: 5,
        detection_enabled: 1,
        state: 'online',
      },
      yard: {
        camera_fps: 0,
        process_fps: 0,
        skipped_fps: 0,
        detection_fps: 0,
        detection_enabled: 1,
        state: 'offline',
      },
    });
    expect(out.detectors).toEqual({
      fast: { inference_speed: 40, detection_start: 0 },
      big: { inference_speed: 0, detection_start: 0 },
    });
    expect(out.detection_fps).toBe(5);
    expect(out.service).toMatchObject({ uptime: 42, version: '0.14.1-rxvision.1.2.3' });
  });

  it('/api/config: Frigate keys the integration indexes, the password hidden, restreams as go2rtc streams', () => {
    const out = frigateConfig(CONFIG) as {
      mqtt: { topic_prefix: string };
      go2rtc: { streams: Record<string, string[]> };
      cameras: Record<string, Record<string, unknown>>;
    };
    expect(out.mqtt.topic_prefix).toBe('home');
    expect(Object.keys(out.go2rtc.streams)).toEqual(['door-annotated']);
    const door = out.cameras.door;
    expect(door?.objects).toEqual({ track: ['person', 'car'], filters: {} });
    expect(door?.zones).toEqual({ porch: { coordinates: '0,0,10,0,10,10', objects: ['person'] } });
    expect(door?.live).toEqual({ streams: { 'door-annotated': 'door-annotated' } });
    expect(JSON.stringify(door)).not.toContain('hunter2');
    expect(out.cameras.yard?.snapshots).toEqual({ enabled: false });
    expect(out.cameras.yard?.objects).toEqual({ track: ['person'], filters: {} });
  });
});
