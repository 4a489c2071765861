import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentLogger } from './logger.js';
import { redact } from './redact.js';

/** What the HTTP server asks the running agent. */
export interface HttpProbe {
  /** The process is alive and its loop answers. */
  health(): { ok: boolean; detail?: unknown };
  /** Detectors loaded and every enabled camera online (with reasons when not). */
  ready(): { ok: boolean; detail?: unknown };
  metrics(): Promise<{ contentType: string; body: string }>;
  cameras(): unknown;
}

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
}

/** The HTTP limits used for each one left out. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 64,
  maxHeaderBytes: 8 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
};

const ROUTES = ['/healthz', '/readyz', '/metrics', '/api/cameras'];

export interface OpsServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz`, `/readyz`, `/metrics` (Prometheus text) and `/api/cameras` (JSON).
 * Bound to localhost unless told otherwise: the API shows camera names and states.
 * Every endpoint is read-only: GET and HEAD only (`405` with `Allow` otherwise), no request body
 * (`413`), and the head size, slow clients and connection count are bounded by `limits`.
 */
export async function startOpsServer(
  probe: HttpProbe,
  host: string,
  port: number,
  log: AgentLogger,
  overrides: Partial<HttpLimits> = {},
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
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return json(
        405,
        {
          error: `${req.method ?? 'this method'} is not allowed: every endpoint is read-only, use GET or HEAD`,
        },
        { allow: 'GET, HEAD', connection: 'close' },
      );
    }
    if (hasBody(req.headers)) {
      // Nothing here reads a body; closing spares reading (or buffering) one we would throw away.
      return json(413, { error: 'these endpoints take no request body' }, { connection: 'close' });
    }
    try {
      if (path === '/healthz') {
        const h = probe.health();
        return json(h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'unhealthy', detail: h.detail });
      }
      if (path === '/readyz') {
        const r = probe.ready();
        return json(r.ok ? 200 : 503, { status: r.ok ? 'ready' : 'not ready', detail: r.detail });
      }
      if (path === '/api/cameras') return json(200, probe.cameras());
      if (path === '/metrics') {
        probe.metrics().then(
          (m) => {
            res.writeHead(200, { 'content-type': m.contentType });
            res.end(m.body);
          },
          (err: Error) => json(500, { error: err.message }),
        );
        return;
      }
      return json(404, { error: `no route ${(path ?? '').slice(0, 200)}`, routes: ROUTES });
    } catch (err) {
      log.error('HTTP handler failed', { path, error: (err as Error).message });
      return json(500, { error: (err as Error).message });
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
