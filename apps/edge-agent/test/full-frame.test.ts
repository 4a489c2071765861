import { describe, expect, it } from 'vitest';
import { needsFullFrames } from '../src/agent/full-frame.js';
import { parseConfigText } from '../src/config/load.js';

const camera = (keys: string) =>
  parseConfigText(`detectors: { default: { model: m.onnx } }\ncameras:\n  yard: { url: yard.mp4${keys} }`)
    .cameras.yard!;

describe('needsFullFrames: full-resolution frames only when something reads them', () => {
  it.each([
    ['detect and publish only', ', snapshots: false', { mqtt: true, http: false }, false],
    ['snapshots (the default) with MQTT', '', { mqtt: true, http: false }, true],
    ['snapshots without MQTT (nothing makes them)', '', { mqtt: false, http: false }, false],
    ['restream', ', snapshots: false, restream: true', { mqtt: false, http: false }, true],
    ['the HTTP API (latest.jpg)', ', snapshots: false', { mqtt: true, http: true }, true],
  ] as const)('%s', (_, keys, consumers, expected) => {
    expect(needsFullFrames(camera(keys), consumers)).toBe(expected);
  });
});
