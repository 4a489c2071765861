import { createServer, type Server } from 'node:http';
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

export interface OpsServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz`, `/readyz`, `/metrics` (Prometheus text) and `/api/cameras` (JSON).
 * Bound to localhost unless told otherwise: the API shows camera names and states.
 */
export async function startOpsServer(
  probe: HttpProbe,
  host: string,
  port: number,
  log: AgentLogger,
): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(redact(body))}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET' });
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
      return json(404, {
        error: `no route ${path}`,
        routes: ['/healthz', '/readyz', '/metrics', '/api/cameras'],
      });
    } catch (err) {
      log.error('HTTP handler failed', { path, error: (err as Error).message });
      return json(500, { error: (err as Error).message });
    }
  });
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
