import { describe, expect, it } from 'vitest';
import { validateWithFlags } from '../src/config/flags.js';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigText } from '../src/config/load.js';

const DETECTOR = 'detectors: { d: { model: m.onnx } }\n';
const CAMERA = `${DETECTOR}cameras:\n  door:\n    url: rtsp://cam/1\n`;

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, 'x.yml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message} — ${i.hint}`);
    throw err;
  }
  return [];
}

describe('config fragments pasted from Frigate', () => {
  it('reads objects.track and objects.filters.<label>, the top level as every camera default and the camera winning label by label', () => {
    const config = parseConfigText(
      [
        'objects:',
        '  track: [person, car]',
        '  filters:',
        '    person: { min_score: 0.5, threshold: 0.7, min_area: 5000 }',
        '    car: { max_area: 0.5 }',
        DETECTOR.trimEnd(),
        'cameras:',
        '  door:',
        '    url: rtsp://cam/1',
        '    objects:',
        '      track: [person]',
        '      filters: { person: { min_score: 0.6 } }',
        '  yard: { url: rtsp://cam/2 }',
      ].join('\n'),
    );
    expect(config.cameras.door?.objects).toEqual(['person']);
    expect(config.cameras.door?.objectFilters).toEqual({
      person: { minScore: 0.6, threshold: 0.7, minArea: 5000 },
      car: { maxArea: 0.5 },
    });
    expect(config.cameras.yard?.objects).toEqual(['person', 'car']);
    expect(config.cameras.yard?.objectFilters?.person).toEqual({
      minScore: 0.5,
      threshold: 0.7,
      minArea: 5000,
    });
    // The list form still works, and takes the top-level filters.
    const listed = parseConfigText(
      `objects: { filters: { car: { min_score: 0.4 } } }\n${CAMERA}    objects: [car]\n`,
    );
    expect(listed.cameras.door?.objects).toEqual(['car']);
    expect(listed.cameras.door?.objectFilters).toEqual({ car: { minScore: 0.4 } });
  });

  it('takes logger.default as the level, refuses two different levels, and lets --log-level win over either', () => {
    expect(parseConfigText('logger: { default: warn }\n').logLevel).toBe('warn');
    expect(parseConfigText('logger: { level: debug }\n').logLevel).toBe('debug');
    expect(parseConfigText('{}\n').logLevel).toBe('info');
    expect(issuesOf('logger: { level: debug, default: warn }\n')).toEqual([
      "logger.default: `level: debug` and `default: warn` say different things — keep one of them (`default` is Frigate's name for `level`)",
    ]);
    expect(validateWithFlags({ logger: { default: 'warn' } }, { logLevel: 'error' }).logLevel).toBe('error');
    expect(issuesOf('logger: { default: info, logs: { frigate.mqtt: debug } }\n')).toEqual([
      "logger.logs: Frigate's `logger.logs` is not supported by rxvision — set one level for every module with `logger.default` (or `level`)",
    ]);
  });

  it('says to add the $ of rxvision variables to a Frigate {FRIGATE_*} secret instead of passing it on literally', () => {
    expect(
      issuesOf(`${DETECTOR}cameras:\n  door:\n    url: rtsp://admin:{FRIGATE_RTSP_PASSWORD}@cam/1\n`),
    ).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
      "cameras.door.url: Frigate's `{FRIGATE_RTSP_PASSWORD}` substitution is not supported by rxvision — write `${FRIGATE_RTSP_PASSWORD}`: rxvision substitutes `${VAR}` from the environment (any name, not only FRIGATE_*)",
    ]);
    const config = parseConfigText(
      `${DETECTOR}cameras:\n  door:\n    url: rtsp://admin:\${FRIGATE_RTSP_PASSWORD}@cam/1\n`,
      'x.yml',
      {
        FRIGATE_RTSP_PASSWORD: 'pw',
      },
    );
    expect(config.cameras.door?.url).toBe('rtsp://admin:pw@cam/1');
  });

  it("refuses each Frigate section rxvision lacks with Frigate's name and what to do", () => {
    const issues = issuesOf(
      [
        'record: { enabled: true }',
        'birdseye: { enabled: true }',
        'go2rtc: { streams: {} }',
        'motion: { threshold: 30 }',
        'review: { alerts: {} }',
        'audio: { enabled: false }',
        'semantic_search: { enabled: false }',
        'face_recognition: { enabled: false }',
        'lpr: { enabled: false }',
        CAMERA.trimEnd(),
        '    ffmpeg: { inputs: [{ path: rtsp://cam/1, roles: [detect] }] }',
        '    record: { enabled: true }',
        '    live: { stream_name: door }',
        '    objects: { track: [person], filters: { person: { mask: "0,0,1,1", min_ratio: 0.5 } } }',
      ].join('\n'),
    );
    for (const key of [
      'record',
      'birdseye',
      'go2rtc',
      'motion',
      'review',
      'audio',
      'semantic_search',
      'face_recognition',
      'lpr',
    ])
      expect(issues).toContainEqual(
        expect.stringMatching(new RegExp(`^${key}: Frigate's \`${key}\` is not supported by rxvision — \\S`)),
      );
    expect(issues).toContainEqual(
      "cameras.door.ffmpeg: Frigate's `ffmpeg` is not supported by rxvision — write the stream as `url` directly under the camera, with `hwaccel` and `input_args` beside it",
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^cameras\.door\.record: Frigate's `record` is not supported/),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(
        /^cameras\.door\.live: Frigate's `live` is not supported by rxvision — `live` here is `true`\/`false`/,
      ),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(
        /^cameras\.door\.objects\.filters\.person\.mask: Frigate's `objects\.filters\.<name>\.mask` is not supported/,
      ),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^cameras\.door\.objects\.filters\.person\.min_ratio: Frigate's/),
    );
    expect(issues).toHaveLength(14);
    // A key that is no Frigate key keeps the usual suggestion.
    expect(issuesOf(`${CAMERA}    fsp: 5\n`)).toEqual([
      expect.stringMatching(/^cameras\.door\.fsp: unknown key — did you mean `fps`\?/),
    ]);
  });

  it("accepts a zone's inertia, objects and loitering_time (handed on as loiteringTime seconds) and the detector's labelmap_path", () => {
    const config = parseConfigText(
      `detectors: { d: { model: m.onnx, labelmap_path: labels.txt } }\ncameras:\n  door:\n    url: rtsp://cam/1\n    zones:\n      porch: { coordinates: "0,0,100,0,100,100", inertia: 2, loitering_time: 10, objects: [person] }\n`,
    );
    expect(config.cameras.door?.zones[0]).toMatchObject({
      name: 'porch',
      inertia: 2,
      loiteringTime: 10,
      objects: ['person'],
    });
    expect(config.detectors.d?.labelsPath).toBe('labels.txt');
  });
});

describe("Frigate's camera detect section", () => {
  it('reads detect.width/height/fps as the camera keys, refuses two different values and names the keys it lacks', () => {
    const config = parseConfigText(`${CAMERA}    detect: { width: 1280, height: 720, fps: 5 }\n`);
    expect(config.cameras.door?.fps).toBe(5);
    expect(config.cameras.door?.decode.size).toEqual({ width: 1280, height: 720 });
    expect(
      issuesOf(`${CAMERA}    fps: 10\n    detect: { fps: 5, max_disappeared: 25, enabled: true }\n`),
    ).toEqual([
      "cameras.door.detect.fps: `fps: 10` and `detect.fps: 5` say different things — keep one of them (`detect.fps` is Frigate's place for `fps`)",
      "cameras.door.detect.max_disappeared: Frigate's `detect.max_disappeared` is not supported by rxvision — set `tracker.track_buffer` (frames a lost track is kept)",
      "cameras.door.detect.enabled: Frigate's `detect.enabled` is not supported by rxvision — remove it; to keep a camera in the file without running it, write `enabled: false` under the camera",
    ]);
  });
});
