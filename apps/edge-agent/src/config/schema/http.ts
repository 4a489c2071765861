import { z } from 'zod';
import { isPasswordHash } from '../../ops/web/password-hash.js';
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

const AUTH_HINT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
  'set `http.auth.user` and `http.auth.password_hash` (or `http.auth.token: ${RXVISION_HTTP_TOKEN}`), or write `http.allow_anonymous: true` to serve it open';

const authSection = z
  .strictObject({
    user: optionalText().meta(about('login name the web page and the API ask for (with `password_hash`)')),
    password_hash: optionalText().meta(
      about(
        "the password's scrypt hash, `scrypt:<salt hex>:<key hex>` (docs/web.md shows the one-line command that makes it)",
      ),
    ),
    token: optionalText().meta(
      about(
        'a bearer token (`Authorization: Bearer <token>`) for scripts; keep it out of the file with an env var',
      ),
    ),
  })
  .meta(about('the login required on every path but `/healthz` (HTTP Basic or a bearer token)'));

/** `http`: the ops server (`/healthz`, `/readyz`, `/metrics`, the API and the web page). */
export const httpSection = z
  .strictObject({
    enabled: flag().default(true).meta(about('`false`: no HTTP server')),
    listen: optionalText().meta(
      about(
        `\`host:port\` of the web page, the API, \`/healthz\`, \`/readyz\`, \`/metrics\` (default \`${DEFAULT_LISTEN}\`); localhost only unless you say \`0.0.0.0:9464\` (then set \`auth\` or \`allow_anonymous\`)`,
      ),
    ),
    auth: authSection.optional(),
    allow_anonymous: flag()
      .default(false)
      .meta(
        about(
          '`true`: serve a non-loopback `listen` without a login (anyone on the network sees the cameras)',
          'mosquitto `allow_anonymous`',
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
    const auth = h.auth;
    if (auth?.password_hash !== undefined && !isPasswordHash(auth.password_hash))
      problem(
        ctx,
        'is not an scrypt hash `scrypt:<salt hex>:<128 hex digits>`',
        'make one with the command in docs/web.md; never write the password itself here',
        ['auth', 'password_hash'],
      );
    if (auth && Boolean(auth.user) !== Boolean(auth.password_hash))
      problem(ctx, 'a login needs both `user` and `password_hash`', 'set both, or use `token` alone', [
        'auth',
        auth.user ? 'password_hash' : 'user',
      ]);
    const login = Boolean(auth?.token || (auth?.user && auth.password_hash));
    if (auth && !login) problem(ctx, 'sets no login', 'set `user` and `password_hash`, or `token`', ['auth']);
    if (h.enabled && !login && !h.allow_anonymous && !isLoopback(listen.host))
      problem(
        ctx,
        `the web page and the API would be served on ${listen.host}:${listen.port}, beyond this machine, without a login`,
        AUTH_HINT,
        ['listen'],
      );
    return {
      enabled: h.enabled,
      ...listen,
      ...(login
        ? {
            auth: {
              ...(auth?.user ? { user: auth.user } : {}),
              ...(auth?.password_hash ? { passwordHash: auth.password_hash } : {}),
              ...(auth?.token ? { token: auth.token } : {}),
            },
          }
        : {}),
    };
  })
  .prefault({});

/** The `http` section as the agent uses it. */
export type HttpConfig = z.output<typeof httpSection>;
