/** `?` starts a URL's query and `#` its fragment; NUL ends a C string in FFmpeg and players. */
const notInPath = (text: string): boolean => /[?#]/.test(text) || text.includes('\u0000');

/**
 * Refuses a restream path an RTSP client could not ask for: it must start with `/`, may not hold
 * `?`, `#` or NUL, and has no empty segment (`//`, a trailing `/`). Returns the path.
 */
export function assertRtspPath(path: string, key = 'restream.path'): string {
  if (!path.startsWith('/') || path.length === 1) {
    throw new Error(`${key} "${path}" must start with "/" and name a stream, e.g. "/front-annotated"`);
  }
  if (notInPath(path)) {
    throw new Error(`${key} "${path}" contains "?", "#" or NUL, which cannot be part of an RTSP path`);
  }
  if (path.includes('//') || path.endsWith('/')) {
    throw new Error(`${key} "${path}" has an empty segment: remove the double or trailing "/"`);
  }
  return path;
}

/** Refuses a name that cannot be one segment of an RTSP path (the default `/<camera>-annotated`). */
export function assertRtspPathSegment(name: string, what: string): string {
  if (name.length === 0 || name.includes('/') || notInPath(name)) {
    throw new Error(
      `${what} "${name}" cannot be used in an RTSP path segment (empty, or contains "/", "?", "#"): rename it`,
    );
  }
  return name;
}
