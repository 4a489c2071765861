import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigText } from '../src/config/load.js';

const CAMERA = 'detectors: { d: { model: m.onnx } }\ncameras:\n  door:\n    url: a.mp4\n';

function parse(mqtt: string) {
  return parseConfigText(`mqtt:\n  url: mqtt://b:1883\n${mqtt}\n${CAMERA}`, 'x.yml', {});
}
function issuesOf(mqtt: string): string[] {
  try {
    parse(mqtt);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('mqtt.offline_queue', () => {
  it('hands the bounds, the file and the fsync policy to the publisher in its own units', () => {
    const config = parse(
      '  offline_queue:\n    path: /var/lib/rxvision/q.log\n    max_age: 600\n    fsync: always',
    );
    expect(config.mqtt?.offlineQueue).toEqual({
      maxMessages: 10_000,
      maxBytes: 64 * 1024 * 1024,
      maxAgeMs: 600_000,
      path: '/var/lib/rxvision/q.log',
      fsync: 'always',
    });
    expect(parse('  offline_queue: { max_messages: 50 }').mqtt?.offlineQueue).toEqual({
      maxMessages: 50,
      maxBytes: 64 * 1024 * 1024,
      maxAgeMs: 3_600_000,
    });
    expect(parse('').mqtt?.offlineQueue).toBeUndefined();
  });

  it('names the key and the problem for a bad value', () => {
    expect(issuesOf('  offline_queue: { fsync: sometimes }')).toHaveLength(1);
    expect(issuesOf('  offline_queue: { fsync: sometimes }')[0]).toMatch(/^mqtt\.offline_queue\.fsync: /);
    expect(issuesOf('  offline_queue: { max_bytes: 10 }')[0]).toMatch(/^mqtt\.offline_queue\.max_bytes: /);
    expect(issuesOf('  offline_queue: { state_dir: /tmp }')[0]).toMatch(/^mqtt\.offline_queue/);
  });
});
