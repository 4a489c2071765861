/**
 * Hides passwords in URLs anywhere in a text (`rtsp://admin:secret@cam/` → `rtsp://admin:***@cam/`).
 *
 * Every log line, error message and status reason of the decode node goes through it, so a
 * camera URL with credentials can be printed, logged or used as a metric label safely.
 *
 * ## Example
 * ```ts
 * redactUrl('rtsp://admin:hunter2@10.0.0.7/stream1'); // 'rtsp://admin:***@10.0.0.7/stream1'
 * ```
 */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s/@]*)@/gi, '$1$2:***@');
}
