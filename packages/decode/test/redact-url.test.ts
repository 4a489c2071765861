import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/index.js';

describe('redactUrl', () => {
  it('hides the password of every URL in a text and keeps the user', () => {
    expect(redactUrl('rtsp://admin:hunter2@10.0.0.7:554/stream1')).toBe(
      'rtsp://admin:***@10.0.0.7:554/stream1',
    );
    expect(redactUrl('a rtsps://u:p%40ss@cam/x and http://v:w@h/y')).toBe(
      'a rtsps://u:***@cam/x and http://v:***@h/y',
    );
  });

  it('hides passwords holding @, /, : and %-escapes whole, up to the last @ before the host', () => {
    expect(redactUrl('rtsp://viewer:p@ss@host/x')).toBe('rtsp://viewer:***@host/x');
    expect(redactUrl('rtsp://viewer:a/b@host')).toBe('rtsp://viewer:***@host');
    expect(redactUrl('rtsp://viewer:a:b:c@host:554/x')).toBe('rtsp://viewer:***@host:554/x');
    expect(redactUrl('rtsp://viewer:%2F%40%3A@host/x')).toBe('rtsp://viewer:***@host/x');
    expect(redactUrl('rtsp://viewer:a/b@c:d/e@host/s1')).toBe('rtsp://viewer:***@host/s1');
  });

  it('redacts every URL of an ffmpeg stderr line and leaves the text around them', () => {
    const line = "[rtsp @ 0x55] method DESCRIBE failed: 401 for 'rtsp://admin:p@ss/w@10.0.0.7/s1': auth";
    const redacted = redactUrl(line);
    expect(redacted).toBe(
      "[rtsp @ 0x55] method DESCRIBE failed: 401 for 'rtsp://admin:***@10.0.0.7/s1': auth",
    );
    expect(redacted).not.toContain('ss/w');
    expect(redactUrl('a rtsp://u:x@y@h1/a b rtsp://v:z/w@h2 c')).toBe(
      'a rtsp://u:***@h1/a b rtsp://v:***@h2 c',
    );
  });

  it('leaves URLs without credentials alone', () => {
    expect(redactUrl('rtsp://10.0.0.7:554/stream1')).toBe('rtsp://10.0.0.7:554/stream1');
    expect(redactUrl('rtsp://onlyuser@cam/x')).toBe('rtsp://onlyuser@cam/x');
  });

  it('hides passwords written with spaces, quotes or @ whole, up to the last @ of the line', () => {
    expect(redactUrl('rtsp://admin:p w@x@10.0.0.7/s1 failed')).toBe('rtsp://admin:***@10.0.0.7/s1 failed');
    expect(redactUrl(`rtsp://admin:it's "a" pass@cam/x`)).toBe('rtsp://admin:***@cam/x');
    expect(redactUrl('rtsp://a:b c@h1/x\nrtsp://d:e f@h2/y')).toBe('rtsp://a:***@h1/x\nrtsp://d:***@h2/y');
  });

  it('keeps ports and paths that only look like a password', () => {
    expect(redactUrl('rtsp://cam:554/x stalled')).toBe('rtsp://cam:554/x stalled');
    expect(redactUrl('[rtsp @ 0x55] rtsp://cam:554/x: 404')).toBe('[rtsp @ 0x55] rtsp://cam:554/x: 404');
  });

  it('hides query-string credentials, any case, and keeps the other parameters', () => {
    expect(redactUrl('http://cam/snap.jpg?user=admin&password=s3cret&res=hd')).toBe(
      'http://cam/snap.jpg?user=admin&password=***&res=hd',
    );
    expect(redactUrl('rtsp://cam/live?PWD=a1;channel=1')).toBe('rtsp://cam/live?PWD=***;channel=1');
    for (const name of ['pass', 'Token', 'auth', 'key', 'secret', 'api_key', 'access_token'])
      expect(redactUrl(`https://cam/x?${name}=v4lue&n=1`)).toBe(`https://cam/x?${name}=***&n=1`);
  });
});
