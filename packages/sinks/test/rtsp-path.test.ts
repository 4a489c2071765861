import { describe, expect, it } from 'vitest';
import { assertRtspPath } from '../src/index.js';
import { assertRtspPathSegment } from '../src/rtsp/rtsp-path.js';

describe('RTSP path rules (not MQTT topic rules)', () => {
  it('accepts plain restream paths and refuses ones a player could not ask for', () => {
    expect(assertRtspPath('/front-annotated')).toBe('/front-annotated');
    expect(assertRtspPath('/site/front')).toBe('/site/front');
    expect(() => assertRtspPath('front')).toThrow(/must start with "\/"/);
    expect(() => assertRtspPath('/')).toThrow(/must start with "\/"/);
    expect(() => assertRtspPath('/a?b')).toThrow(/"\?", "#"/);
    expect(() => assertRtspPath('/a#b')).toThrow(/"\?", "#"/);
    expect(() => assertRtspPath('/a//b')).toThrow(/empty segment/);
    expect(() => assertRtspPath('/a/')).toThrow(/empty segment/);
  });

  it('takes a camera name as one path segment', () => {
    expect(assertRtspPathSegment('front door', 'camera name')).toBe('front door');
    for (const bad of ['', 'a/b', 'a#b', 'a?b', 'a\u0000b']) {
      expect(() => assertRtspPathSegment(bad, 'camera name')).toThrow(/RTSP path segment/);
    }
  });
});
