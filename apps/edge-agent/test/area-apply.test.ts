import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { withArea } from '../src/ops/web/area-edit.js';
import { crossSiteRefusal } from '../src/ops/web/same-origin.js';

const CONFIG = [
  '# the hall camera, fed by the lobby NVR',
  'cameras:',
  '  hall:',
  '    url: rtsp://nvr/hall # main stream',
  '    zones:',
  '      floor:',
  '        coordinates: 0,216,768,216,768,432,0,432 # lower half',
  '        objects: [person]',
  '  yard: { url: rtsp://nvr/yard }',
  '',
].join('\n');

describe('withArea: the YAML edit behind the editor’s apply', () => {
  it('adds a zone and keeps the comments and every other key', () => {
    const next = withArea(CONFIG, {
      camera: 'hall',
      kind: 'zone',
      name: 'door',
      coordinates: [
        [10, 20],
        [30, 20],
        [30, 40],
      ],
    });
    expect(next).toContain('# the hall camera, fed by the lobby NVR');
    expect(next).toContain('url: rtsp://nvr/hall # main stream');
    expect(next).toContain('# lower half');
    expect(parseDocument(next).toJS()).toEqual({
      cameras: {
        hall: {
          url: 'rtsp://nvr/hall',
          zones: {
            floor: { coordinates: '0,216,768,216,768,432,0,432', objects: ['person'] },
            door: { coordinates: '10,20,30,20,30,40' },
          },
        },
        yard: { url: 'rtsp://nvr/yard' },
      },
    });
  });

  it('replaces an existing zone’s coordinates, keeping its other keys', () => {
    const next = withArea(CONFIG, {
      camera: 'hall',
      kind: 'zone',
      name: 'floor',
      coordinates: [
        [0.1, 0.5],
        [0.9, 0.5],
        [0.9, 1],
      ],
    });
    expect(parseDocument(next).toJS().cameras.hall.zones).toEqual({
      floor: { coordinates: '0.1,0.5,0.9,0.5,0.9,1', objects: ['person'] },
    });
    expect(next).toContain('coordinates: 0.1,0.5,0.9,0.5,0.9,1 # lower half');
    expect(next).toContain('# the hall camera, fed by the lobby NVR');
  });

  it('adds a line to a camera written in flow style', () => {
    const next = withArea(CONFIG, {
      camera: 'yard',
      kind: 'line',
      name: 'gate',
      coordinates: [
        [5, 0],
        [5, 100],
      ],
    });
    expect(parseDocument(next).toJS().cameras.yard).toEqual({
      url: 'rtsp://nvr/yard',
      lines: { gate: { coordinates: '5,0,5,100' } },
    });
    expect(next).toContain('# main stream');
  });

  it('refuses a file that does not parse', () => {
    expect(() =>
      withArea('cameras: [', { camera: 'hall', kind: 'line', name: 'x', coordinates: [] }),
    ).toThrow(/does not parse/);
  });
});

describe('crossSiteRefusal: the same-origin check of a POST', () => {
  const json = { 'content-type': 'application/json', host: '127.0.0.1:5000' };
  it('lets a same-origin JSON request through (by Origin, or by Referer without one)', () => {
    expect(crossSiteRefusal({ ...json, origin: 'http://127.0.0.1:5000' })).toBeUndefined();
    expect(
      crossSiteRefusal({ ...json, referer: 'http://127.0.0.1:5000/#/camera/hall/editor' }),
    ).toBeUndefined();
    expect(
      crossSiteRefusal({
        ...json,
        'content-type': 'application/json; charset=utf-8',
        origin: 'http://127.0.0.1:5000',
      }),
    ).toBeUndefined();
  });

  it('refuses another origin, a missing Origin and Referer, and a body a form could send', () => {
    expect(crossSiteRefusal({ ...json, origin: 'http://evil' })).toMatch(
      /cross-origin request from http:\/\/evil/,
    );
    expect(crossSiteRefusal({ ...json, origin: 'http://127.0.0.1:5001' })).toMatch(/cross-origin/);
    expect(crossSiteRefusal({ ...json, origin: 'null' })).toMatch(/not a URL/);
    expect(crossSiteRefusal(json)).toMatch(/needs an Origin or Referer/);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', undefined])
      expect(crossSiteRefusal({ ...json, 'content-type': type, origin: 'http://127.0.0.1:5000' })).toMatch(
        /Content-Type: application\/json/,
      );
  });
});
