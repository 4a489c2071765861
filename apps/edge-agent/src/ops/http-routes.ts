/** One request as a route handler sees it. */
export interface RouteRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  /** The values of the pattern's `:name` segments, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** A POST's JSON body, parsed; undefined for GET and HEAD. */
  readonly body?: unknown;
}

/** Where a streaming reply writes, until the client leaves. */
export interface ReplySink {
  /** Writes a chunk; the caller skips a frame rather than queue one while `congested`. */
  write(chunk: Buffer | string): void;
  /** The client's socket has not drained what it was last given. */
  readonly congested: boolean;
  /** Calls `listener` once, when the client has gone (or the server closes). */
  onClose(listener: () => void): void;
}

/** What a route answers: JSON (redacted by the server), or bytes of a given type. */
export type RouteReply =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | {
      readonly status: number;
      readonly body: string | Buffer;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly status: number;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
      /** A long-lived body (MJPEG): called once the head is written; writes until the client leaves. */
      stream(sink: ReplySink): void;
    };

/** An endpoint: `pattern` is a path whose `:name` segments match any one segment. */
export interface HttpRoute {
  readonly pattern: string;
  /** `POST` for the one route that changes something (same-origin JSON only); GET and HEAD when absent. */
  readonly method?: 'POST';
  handle(request: RouteRequest): RouteReply | Promise<RouteReply>;
}

/** The first route whose pattern matches `path`, with its parameters; undefined when none does. */
export function matchRoute(
  routes: readonly HttpRoute[],
  path: string,
  method?: 'POST',
): { route: HttpRoute; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPattern(route.pattern.split('/'), segments);
    if (params) return { route, params };
  }
  return undefined;
}

function matchPattern(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      const value = safeDecode(segment);
      if (value === undefined) return undefined;
      params[part.slice(1)] = value;
    } else if (part !== segment) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A JSON reply. */
export function jsonReply(status: number, json: unknown): RouteReply {
  return { status, json };
}

/** A 404 that says what was not found. */
export function notFound(what: string): RouteReply {
  return { status: 404, json: { success: false, message: what } };
}

/** A 503 for a request the JPEG encoders are too busy to serve now. */
export function busy(): RouteReply {
  return {
    status: 503,
    json: { success: false, message: 'JPEG encoders busy; retry' },
    headers: { 'retry-after': '1' },
  };
}
