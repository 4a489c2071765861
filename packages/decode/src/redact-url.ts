const SCHEME = /[a-z][a-z0-9+.-]*:\/\//gi;

// `?password=…`, `&api_key=…`, `;token=…`: any parameter whose name holds a secret word.
const SECRET_PARAM =
  /([?&;][^=&;#\s?]*?(?:pass(?:word|wd)?|pwd|token|auth|key|secret|sig(?:nature)?|credential)[^=&;#\s]*=)([^&;#\s]*)/gi;

/** `:554/` or `:554` at the end: a port, not the start of a password. */
const PORT = /^\d{1,5}(?:\/|$)/;

/**
 * Hides passwords in URLs anywhere in a text (`rtsp://admin:secret@cam/` → `rtsp://admin:***@cam/`).
 *
 * The one redaction home: every log line, error message, FFmpeg stderr tail and status reason of
 * the decode node goes through it, and the agent's logger and HTTP API build on it, so a camera URL
 * with credentials can be printed, logged or used as a metric label safely.
 * - The userinfo of a URL runs to the LAST `@` of its token and the password starts after its
 *   first `:`, so passwords holding `@`, `/`, `:`, quotes or `%`-escapes are hidden whole and the
 *   user stays visible.
 * - A password written with a space (unencoded) runs to the last `@` of the line.
 * - Query parameters named like a secret (`password=`, `pass=`, `pwd=`, `token=`, `auth=`, `key=`,
 *   `secret=`, `api_key=`, `sig=`…, any case) lose their value.
 * When in doubt it hides too much rather than too little.
 *
 * ## Example
 * ```ts
 * redactUrl('rtsp://admin:hunter2@10.0.0.7/stream1'); // 'rtsp://admin:***@10.0.0.7/stream1'
 * redactUrl('rtsp://viewer:p@ss/w@cam/x'); // 'rtsp://viewer:***@cam/x'
 * redactUrl('http://cam/snap.jpg?user=a&Password=b'); // 'http://cam/snap.jpg?user=a&Password=***'
 * ```
 */
export function redactUrl(text: string): string {
  const schemes = [...text.matchAll(SCHEME)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let out = '';
  let copied = 0;
  schemes.forEach(({ end }, i) => {
    if (end < copied) return;
    const lineEnd = text.indexOf('\n', end);
    const limit = Math.min(schemes[i + 1]?.start ?? text.length, lineEnd < 0 ? text.length : lineEnd);
    const password = passwordSpan(text.slice(end, limit));
    if (!password) return;
    out += `${text.slice(copied, end + password.from)}***`;
    copied = end + password.to;
  });
  out += text.slice(copied);
  return out.replace(SECRET_PARAM, (_whole, name: string) => `${name}***`);
}

/** Where the password lies in what follows `scheme://` (up to the next URL or line end), if any. */
function passwordSpan(rest: string): { from: number; to: number } | undefined {
  const space = rest.search(/\s/);
  const token = space < 0 ? rest : rest.slice(0, space);
  const colon = token.indexOf(':');
  if (colon < 0) return undefined;
  const at = token.lastIndexOf('@');
  if (at > colon) return { from: colon + 1, to: at };
  if (at >= 0 || token.slice(0, colon).includes('/') || PORT.test(token.slice(colon + 1))) return undefined;
  const lineAt = rest.lastIndexOf('@');
  return lineAt > colon ? { from: colon + 1, to: lineAt } : undefined;
}
