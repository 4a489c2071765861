import { type Frame, pictureBytes } from '@rxvision/decode';
import type { Track, TrackedFrame } from '@rxvision/tracker';
import mqtt from 'mqtt';
import { interval, lastValueFrom, map, take } from 'rxjs';
import type { Benchmark } from '../../../testing/bench-types.js';
import { startMosquitto } from '../../../testing/mosquitto.js';
import { createMqttPublisher, createRtspServer, toMqtt, toRtsp } from '../src/index.js';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (v: number) => Math.round(v * 100) / 100;

function frameAt(seq: number, width: number, height: number, tracks: readonly Track[]): TrackedFrame {
  const frame: Frame = {
    streamId: 'bench',
    seq,
    pts: seq / 10,
    capturedAt: performance.timeOrigin + performance.now(),
    width,
    height,
    // The decoder's layout: the restream draws on the planes and libx264 takes them as they are.
    format: 'yuv420p',
    data: new Uint8Array(pictureBytes('yuv420p', width, height)).fill(90),
  };
  return { frame, detections: tracks, inferenceMs: 0, tracks, events: [], zoneOccupancy: {}, lineCounts: {} };
}

function people(n: number, at: number): Track[] {
  return Array.from({ length: n }, (_, i) => ({
    bbox: [40 + i * 110, 100, 130 + i * 110, 400] as const,
    score: 0.9,
    classId: 0,
    label: 'person',
    trackId: i + 1,
    state: 'confirmed' as const,
    firstSeen: at,
    lastSeen: at,
    hits: 10,
    computedScore: 0.9,
    topScore: 0.9,
    velocity: [0, 0] as const,
    stationary: false,
    motionlessCount: 0,
    positionChanges: 1,
    currentZones: [],
    enteredZones: [],
    zoneDwellMs: {},
    loiteringZones: [],
  }));
}

/** Frame capture → toMqtt → mosquitto → subscriber, against a bare mqtt.js publish of the same payload. */
async function mqttLatency(frames: number): Promise<{ sink: number[]; bare: number[] }> {
  const broker = await startMosquitto();
  try {
    const sub = await mqtt.connectAsync(broker.url);
    const sink: number[] = [];
    const bare: number[] = [];
    sub.on('message', (topic, payload) => {
      const now = performance.timeOrigin + performance.now();
      const sent = JSON.parse(payload.toString()).frame_time * 1000;
      (topic.startsWith('bare/') ? bare : sink).push(now - sent);
    });
    await sub.subscribeAsync(['bench/+/detections', 'bare/#']);
    const publisher = createMqttPublisher({
      url: broker.url,
      topicPrefix: 'bench',
      statsIntervalMs: 0,
      discovery: false,
    });
    while (!publisher.metrics().connected) await new Promise((r) => setTimeout(r, 10));
    const tracks = people(5, Date.now());
    await lastValueFrom(
      interval(100).pipe(
        take(frames),
        map((i) => frameAt(i, 64, 48, tracks)),
        toMqtt(publisher, { camera: 'cam', detectionsIntervalMs: 0, snapshot: false }),
      ),
    );
    const client = await mqtt.connectAsync(broker.url);
    const payload = (t: number) =>
      JSON.stringify({ frame_time: t / 1000, objects: tracks.map((x) => ({ box: x.bbox })) });
    for (let i = 0; i < frames; i++) {
      await new Promise((r) => setTimeout(r, 100));
      client.publish('bare/cam/detections', payload(performance.timeOrigin + performance.now()));
    }
    await new Promise((r) => setTimeout(r, 300));
    await publisher.close(2000);
    await client.endAsync();
    await sub.endAsync();
    return { sink, bare };
  } finally {
    await broker.stop();
  }
}

/** Frame capture → (annotation) → ffmpeg libx264 → RTP packet leaving the RTSP server, per frame. */
async function restreamLatency(frames: number, boxes: number, drainMs: number): Promise<number[]> {
  const server = await createRtspServer({ port: 0, host: '127.0.0.1' });
  try {
    const stream = server.mount('/bench-annotated');
    const captured: number[] = [];
    const sent: number[] = [];
    stream.addClient({
      backlog: 0,
      send: (packet) => {
        // Marker bit: the last packet of a picture, in frame order.
        if ((packet[1] ?? 0) & 0x80) sent.push(performance.timeOrigin + performance.now());
      },
    });
    const tracks = people(boxes, Date.now());
    await lastValueFrom(
      interval(100).pipe(
        take(frames),
        map((i) => {
          const f = frameAt(i, 1280, 720, tracks);
          captured.push(f.frame.capturedAt);
          return f;
        }),
        toRtsp(server, { camera: 'bench', fps: 10 }),
      ),
    );
    // The encoder's last pictures leave after the input ends.
    await new Promise((r) => setTimeout(r, drainMs));
    return sent.map((t, i) => t - (captured[i] ?? t));
  } finally {
    await server.close();
  }
}

const bench: Benchmark = async ({ quick }) => {
  const frames = quick ? 15 : 150;
  const { sink, bare } = await mqttLatency(frames);
  const drainMs = quick ? 800 : 1500;
  const plain = await restreamLatency(frames, 0, drainMs);
  const annotated = await restreamLatency(frames, 10, drainMs);
  const p50 = percentile(sink, 50);
  const p95 = percentile(sink, 95);
  const bareP50 = percentile(bare, 50);
  const annP50 = percentile(annotated, 50);
  const plainP50 = percentile(plain, 50);
  return {
    name: 'sinks: glass-to-MQTT and annotated restream latency',
    rows: [
      {
        path: 'frame → toMqtt → mosquitto → subscriber (10 fps)',
        p50_ms: round(p50),
        p95_ms: round(p95),
        messages: sink.length,
      },
      {
        path: 'bare mqtt.js publish → mosquitto → subscriber',
        p50_ms: round(bareP50),
        p95_ms: round(percentile(bare, 95)),
        messages: bare.length,
      },
      {
        path: '720p frame → libx264 → RTP out (no boxes)',
        p50_ms: round(plainP50),
        p95_ms: round(percentile(plain, 95)),
        messages: plain.length,
      },
      {
        path: '720p frame → draw 10 boxes → libx264 → RTP out',
        p50_ms: round(annP50),
        p95_ms: round(percentile(annotated, 95)),
        messages: annotated.length,
      },
    ],
    summary: {
      latency_p50_ms: round(p50),
      latency_p95_ms: round(p95),
      mqtt_sink_vs_bare_p50: round(p50 / Math.max(bareP50, 0.01)),
      restream_added_latency_p50_ms: round(annP50),
      restream_added_latency_p95_ms: round(percentile(annotated, 95)),
      restream_annotated_vs_plain_p50: round(annP50 / Math.max(plainP50, 0.01)),
    },
    notes:
      'Glass-to-MQTT: frame capturedAt to delivery at a real mqtt.js subscriber through a real mosquitto, 10 fps, ' +
      'against a bare mqtt.js publish of the same payload. Restream: capturedAt to the last RTP packet of that picture ' +
      'leaving our RTSP server (annotation + ffmpeg libx264 ultrafast/zerolatency), against the same path without boxes.',
  };
};

export default bench;
