import { type Frame, type PixelFormat, pictureBytes } from '@rxvision/decode';
import type { Track, TrackEvent, TrackedFrame } from '@rxvision/tracker';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** A grey frame, in the decoder's yuv420p unless another layout is asked for. */
export function greyFrame(
  streamId: string,
  seq: number,
  capturedAt: number,
  width = 64,
  height = 48,
  format: PixelFormat = 'yuv420p',
): Frame {
  return {
    streamId,
    seq,
    pts: seq / 10,
    capturedAt,
    width,
    height,
    format,
    data: new Uint8Array(pictureBytes(format, width, height)).fill(128),
  };
}

export function makeTrack(trackId: number, at: number, overrides: Partial<Track> = {}): Track {
  return {
    bbox: [10, 8, 30, 40],
    score: 0.8,
    classId: 0,
    label: 'person',
    trackId,
    state: 'confirmed',
    firstSeen: at,
    lastSeen: at,
    hits: 3,
    computedScore: 0.8,
    topScore: 0.8,
    velocity: [0, 0],
    stationary: false,
    motionlessCount: 0,
    positionChanges: 1,
    currentZones: [],
    enteredZones: [],
    zoneDwellMs: {},
    loiteringZones: [],
    ...overrides,
  };
}

export function trackedFrame(
  frame: Frame,
  tracks: readonly Track[],
  events: readonly TrackEvent[] = [],
  extra: Partial<Pick<TrackedFrame, 'zoneOccupancy' | 'lineCounts'>> = {},
): TrackedFrame {
  return {
    frame,
    detections: tracks,
    inferenceMs: 5,
    tracks,
    events,
    zoneOccupancy: {},
    lineCounts: {},
    ...extra,
  };
}

export interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly retain: boolean;
}

/** A real MQTT subscriber (mqtt.js) that records everything on `topics`. */
export async function subscriber(
  url: string,
  topics: string[],
  options: IClientOptions = {},
): Promise<{ client: MqttClient; messages: Received[]; close(): Promise<void> }> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, ...options });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain }));
  await client.subscribeAsync(topics, { qos: 1 });
  return { client, messages, close: () => client.endAsync() };
}

export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
