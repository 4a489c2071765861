import { z } from 'zod';
import { about, always, field, problem } from './fields.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `logger`: what is logged. */
export const loggerSection = z
  .strictObject({
    level: z.enum(LOG_LEVELS).optional().meta(about('`debug`, `info`, `warn` or `error` (default `info`)')),
    default: z
      .enum(LOG_LEVELS)
      .optional()
      .meta(about("the same as `level`, under Frigate's name", 'Frigate `logger.default`')),
  })
  .meta(about('log settings'))
  .superRefine((l, ctx) => {
    const level = field(l, 'level');
    const frigate = field(l, 'default');
    if (level !== undefined && frigate !== undefined && level !== frigate)
      problem(
        ctx,
        `\`level: ${String(level)}\` and \`default: ${String(frigate)}\` say different things`,
        "keep one of them (`default` is Frigate's name for `level`)",
        ['default'],
      );
  }, always)
  .transform((l) => ({ level: l.level ?? l.default ?? 'info' }))
  .prefault({});
