import { z } from 'zod';
import { quote } from '../describe.js';
import { about, flag, optionalText, problem } from './fields.js';

/** Parses `host:port` (or a bare port) as given to `http.listen` / `--http`. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (!(port >= 0 && port <= 65535)) return undefined;
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/** Whether a listen host is reachable from this machine only (`127.x.x.x`, `::1`, `localhost`). */
export function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host.toLowerCase() === 'localhost';
}

const DEFAULT_LISTEN = '127.0.0.1:9464';

/** `http`: the ops server (`/healthz`, `/readyz`, `/metrics`, `/api/cameras`). */
export const httpSection = z
  .strictObject({
    enabled: flag().default(true).meta(about('`false`: no HTTP server')),
    listen: optionalText().meta(
      about(
        `\`host:port\` of \`/healthz\`, \`/readyz\`, \`/metrics\`, \`/api/cameras\` (default \`${DEFAULT_LISTEN}\`); localhost only unless you say \`0.0.0.0:9464\``,
      ),
    ),
  })
  .meta(about('HTTP server settings'))
  .transform((h, ctx) => {
    const listen = parseListen(h.listen ?? DEFAULT_LISTEN);
    if (!listen) {
      problem(
        ctx,
        `${quote(h.listen ?? '')} is not host:port`,
        'write e.g. `listen: 127.0.0.1:9464` (or `0.0.0.0:9464` to serve other machines)',
        ['listen'],
      );
      return z.NEVER;
    }
    return { enabled: h.enabled, ...listen };
  })
  .prefault({});

/** The `http` section as the agent uses it. */
export type HttpConfig = z.output<typeof httpSection>;
