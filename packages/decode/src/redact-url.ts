// A URL token runs from its scheme to the next whitespace: passwords may hold `/`, `:`, `@`, `?`.
const URL_TOKEN = /([a-z][a-z0-9+.-]*:\/\/)(\S*)/gi;

/**
 * Hides passwords in URLs anywhere in a text (`rtsp://admin:secret@cam/` → `rtsp://admin:***@cam/`).
 *
 * Every log line, error message and status reason of the decode node goes through it, so a
 * camera URL with credentials can be printed, logged or used as a metric label safely.
 * The userinfo of a URL runs to the LAST `@` of its token and the password starts after its
 * first `:`, so passwords holding `@`, `/`, `:` or `%`-escapes are hidden whole and the user
 * stays visible. When in doubt it hides too much (a query holding `@`) rather than too little.
 *
 * ## Example
 * ```ts
 * redactUrl('rtsp://admin:hunter2@10.0.0.7/stream1'); // 'rtsp://admin:***@10.0.0.7/stream1'
 * redactUrl('rtsp://viewer:p@ss/w@cam/x'); // 'rtsp://viewer:***@cam/x'
 * ```
 */
export function redactUrl(text: string): string {
  return text.replace(URL_TOKEN, (token, scheme: string, rest: string) => {
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (at < 0 || colon < 0 || colon > at) return token;
    return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
  });
}
