import { z } from 'zod';
import { about, always, field, flag, optionalText, port, problem } from './fields.js';
import { isLoopback, parseListen } from './http.js';

const DEFAULT_RTSP_LISTEN = '127.0.0.1:8554';

const rtspKeys = z
  .strictObject({
    listen: optionalText().meta(
      about(
        `\`host:port\` the annotated restreams are served on (default \`${DEFAULT_RTSP_LISTEN}\`); other machines only if you say \`0.0.0.0:8554\` (then set \`user\`/\`password\` or \`allow_anonymous\`)`,
        'Frigate/go2rtc `rtsp.listen` (`:8554`)',
      ),
    ),
    port: port()
      .optional()
      .meta(about('older form of `listen`: its port (with `host`); write `listen: <host>:<port>` instead')),
    host: optionalText().meta(
      about('older form of `listen`: its interface (default `127.0.0.1`); write `listen` instead'),
    ),
    user: optionalText().meta(
      about('login players must give (with `password`); default none', 'go2rtc `rtsp.username`'),
    ),
    password: optionalText().meta(about('password players must give', 'go2rtc `rtsp.password`')),
    allow_anonymous: flag()
      .default(false)
      .meta(
        about(
          '`true`: serve a non-loopback `listen` without a login (anyone on the network can watch)',
          'mosquitto `allow_anonymous`',
        ),
      ),
  })
  .meta(about('RTSP restream server settings'));

/** `rtsp.listen`, else the older `host`/`port` folded into it; undefined when it does not parse. */
function listenOf(r: unknown): { host: string; port: number } | undefined {
  const listen = field(r, 'listen');
  if (typeof listen === 'string') return parseListen(listen);
  const host = field(r, 'host');
  const port = field(r, 'port');
  return {
    host: typeof host === 'string' && host !== '' ? host : '127.0.0.1',
    port: typeof port === 'number' ? port : 8554,
  };
}

/** `rtsp`: the server the annotated restreams are served from. */
export const rtspSection = rtspKeys
  .superRefine((r, ctx) => {
    if (Boolean(field(r, 'user')) !== Boolean(field(r, 'password')))
      problem(ctx, 'a login needs both `user` and `password`', 'set both, or neither for open access', [
        field(r, 'user') ? 'password' : 'user',
      ]);
    const listen = field(r, 'listen');
    if (listen === undefined) return;
    if (field(r, 'host') !== undefined || field(r, 'port') !== undefined)
      problem(
        ctx,
        '`listen` replaces the older `host` and `port`',
        `keep only \`listen: ${typeof listen === 'string' ? listen : DEFAULT_RTSP_LISTEN}\``,
        [field(r, 'host') !== undefined ? 'host' : 'port'],
      );
    else if (typeof listen === 'string' && !parseListen(listen))
      problem(
        ctx,
        'is not host:port',
        'write e.g. `listen: 127.0.0.1:8554` (or `0.0.0.0:8554` with a login to serve other machines)',
        ['listen'],
      );
  }, always)
  .transform((r) => {
    const { host, port } = listenOf(r) ?? { host: '127.0.0.1', port: 8554 };
    return {
      host,
      port,
      allowAnonymous: r.allow_anonymous,
      ...(r.user && r.password ? { credentials: { username: r.user, password: r.password } } : {}),
    };
  })
  .prefault({});

/** The `rtsp` section as the agent uses it. */
export type RtspServerConfig = z.output<typeof rtspSection>;

/**
 * The restream-exposure rule: a server reachable from other machines needs a login, or an explicit
 * `allow_anonymous: true`. Takes the section as written or as parsed (a cross-section rule sees the
 * parsed one); returns the problem, or undefined when the section may serve as it is.
 */
export function anonymousExposure(rtsp: unknown): { message: string; hint: string } | undefined {
  const listen = typeof field(rtsp, 'allowAnonymous') === 'boolean' ? parsedListen(rtsp) : listenOf(rtsp);
  if (!listen || isLoopback(listen.host)) return undefined;
  const anonymous = field(rtsp, 'allowAnonymous') ?? field(rtsp, 'allow_anonymous');
  if (anonymous === true || anonymous === 'true') return undefined;
  if (field(rtsp, 'credentials') || (field(rtsp, 'user') && field(rtsp, 'password'))) return undefined;
  return {
    message: `the restreams would be served on ${listen.host}:${listen.port}, beyond this machine, without a login`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
    hint: 'set `rtsp.user` and `rtsp.password` (`password: ${RESTREAM_PASSWORD}` keeps it out of the file), or write `rtsp.allow_anonymous: true` to serve them open',
  };
}

function parsedListen(rtsp: unknown): { host: string; port: number } | undefined {
  const host = field(rtsp, 'host');
  const port = field(rtsp, 'port');
  return typeof host === 'string' && typeof port === 'number' ? { host, port } : undefined;
}
