import { z } from 'zod';
import { about, always, field, optionalText, port, problem } from './fields.js';

const rtspKeys = z
  .strictObject({
    port: port()
      .default(8554)
      .meta(
        about(
          'port of the annotated restreams (`rtsp://<host>:8554/<camera>-annotated`)',
          'Frigate/go2rtc 8554',
        ),
      ),
    host: optionalText().meta(about('interface the RTSP server listens on (default all, `0.0.0.0`)')),
    user: optionalText().meta(
      about('login players must give (with `password`); default none', 'go2rtc `rtsp.username`'),
    ),
    password: optionalText().meta(about('password players must give', 'go2rtc `rtsp.password`')),
  })
  .meta(about('RTSP restream server settings'));

/** `rtsp`: the server the annotated restreams are served from. */
export const rtspSection = rtspKeys
  .superRefine((r, ctx) => {
    if (Boolean(field(r, 'user')) !== Boolean(field(r, 'password')))
      problem(ctx, 'a login needs both `user` and `password`', 'set both, or neither for open access', [
        field(r, 'user') ? 'password' : 'user',
      ]);
  }, always)
  .transform((r) => ({
    port: r.port,
    ...(r.host ? { host: r.host } : {}),
    ...(r.user && r.password ? { credentials: { username: r.user, password: r.password } } : {}),
  }))
  .prefault({});

/** The `rtsp` section as the agent uses it. */
export type RtspServerConfig = z.output<typeof rtspSection>;
