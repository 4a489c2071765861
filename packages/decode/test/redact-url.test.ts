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

  it('leaves URLs without credentials alone', () => {
    expect(redactUrl('rtsp://10.0.0.7:554/stream1')).toBe('rtsp://10.0.0.7:554/stream1');
    expect(redactUrl('rtsp://onlyuser@cam/x')).toBe('rtsp://onlyuser@cam/x');
  });
});
