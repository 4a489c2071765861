import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpRoute, matchRoute, type RouteReply } from './http-routes.js';
import type { AgentLogger } from './logger.js';
import { redact } from './redact.js';
import { crossSiteRefusal } from './web/same-origin.js';

/** What one HTTP client may cost the agent; the defaults sit far above what Prometheus or a browser uses. */
export interface HttpLimits {
  /** Connections open at once; beyond it new ones are closed at accept (`server.maxConnections`). Default 64. */
  readonly maxConnections: number;
  /** Bytes of request line plus headers; more gets `431` (`maxHeaderSize`). Default 8 KiB. */
  readonly maxHeaderBytes: number;
  /** A client must send its whole head within this, or gets `408` (`headersTimeout`). Default 10 s. */
  readonly headersTimeoutMs: number;
  /** A client must send its whole request within this (`requestTimeout`). Default 15 s. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (`keepAliveTimeout`). Default 5 s. */
  readonly keepAliveTimeoutMs: number;
  /** Bytes of a POST body; more gets `413`. Default 64 KiB. */
  readonly maxBodyBytes: number;
}

/** The HTTP limits used for each one left out. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 64,
  maxHeaderBytes: 8 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxBodyBytes: 64 * 1024,
};

/** Answers a request before any route does (a login check); undefined lets it through. */
export type HttpGuard = (request: { path: string; headers: IncomingHttpHeaders }) => RouteReply | undefined;

export interface OpsServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `routes` (the ops endpoints, the Frigate-compatible API), the first matching pattern winning.
 * Bound to localhost unless told otherwise: the API shows camera names and states.
 * Every endpoint but the `POST` routes is read-only: GET and HEAD only (`405` with `Allow` otherwise),
 * no request body (`413`); a POST must be same-origin JSON within `maxBodyBytes`. The head size, slow
 * clients and connection count are bounded by `limits`.
 */
export async function startOpsServer(
  routes: readonly HttpRoute[],
  host: string,
  port: number,
  log: AgentLogger,
  overrides: Partial<HttpLimits> = {},
  guard?: HttpGuard,
): Promise<OpsServer> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...overrides };
  const options = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above; its default (30 s) would let them overrun.
    connectionsCheckingInterval: 1_000,
  };
  const server: Server = createServer(options, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(`${JSON.stringify(redact(body))}\n`);
    };
    const posted = req.method === 'POST' ? matchRoute(routes, path ?? '/', 'POST') : undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD' && !posted) {
      return json(
        405,
        {
          error: `${req.method ?? 'this method'} is not allowed: every endpoint is read-only, use GET or HEAD`,
        },
        { allow: 'GET, HEAD', connection: 'close' },
      );
    }
    if (!posted && hasBody(req.headers)) {
      // Nothing here reads a body; closing spares reading (or buffering) one we would throw away.
      return json(413, { error: 'these endpoints take no request body' }, { connection: 'close' });
    }
    const reply = (answer: RouteReply) => {
      if ('json' in answer) return json(answer.status, answer.json, { ...answer.headers });
      res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
      if ('stream' in answer) {
        // A HEAD gets the head only: Node drops its body, so a stream would hold the socket for nothing.
        if (req.method === 'HEAD') return res.end();
        res.flushHeaders();
        return answer.stream({
          write: (chunk) => res.write(chunk),
          get congested() {
            return res.writableNeedDrain;
          },
          onClose: (listener) => res.once('close', listener),
        });
      }
      res.end(answer.body);
    };
    const failed = (err: unknown) => {
      log.error('HTTP handler failed', { path, error: (err as Error).message });
      if (!res.headersSent) json(500, { error: (err as Error).message });
      else res.destroy();
    };
    const refused = guard?.({ path: path ?? '/', headers: req.headers });
    if (refused) return reply(refused);
    if (posted) {
      const refusal = crossSiteRefusal(req.headers);
      if (refusal) return json(403, { success: false, message: refusal }, { connection: 'close' });
      return readJsonBody(req, limits.maxBodyBytes).then(
        (body) =>
          Promise.resolve()
            .then(() =>
              posted.route.handle({
                path: path ?? '/',
                query: new URLSearchParams(),
                params: posted.params,
                body,
              }),
            )
            .then(reply, failed),
        (err: HttpBodyError) =>
          json(err.status, { success: false, message: err.message }, { connection: 'close' }),
      );
    }
    const match = matchRoute(routes, path ?? '/');
    if (!match) {
      return json(404, {
        error: `no route ${(path ?? '').slice(0, 200)}`,
        routes: routes.map((r) => r.pattern),
      });
    }
    try {
      const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      Promise.resolve(match.route.handle({ path: path ?? '/', query, params: match.params })).then(
        reply,
        failed,
      );
    } catch (err) {
      failed(err);
    }
  });
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot serve HTTP on ${host}:${port}: ${err.code ?? err.message}. Pick another port with --http host:port or http.listen`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  log.info('HTTP server listening', { url: `http://${host}:${address.port}` });
  return {
    host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether the request declares a body (a non-zero length, or chunked). */
function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}

class HttpBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON body of at most `limit` bytes; rejects with the status to answer. */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(new HttpBodyError(413, `the body may be at most ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new HttpBodyError(413, `the body may be at most ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(new HttpBodyError(400, `the body is not JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', (err) => reject(new HttpBodyError(400, err.message)));
  });
}
