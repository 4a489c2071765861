import { z } from 'zod';
import { about } from './fields.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `logger`: what is logged. */
export const loggerSection = z
  .strictObject({
    level: z
      .enum(LOG_LEVELS)
      .default('info')
      .meta(about('`debug`, `info`, `warn` or `error`', 'Frigate `logger.default`')),
  })
  .meta(about('log settings'))
  .prefault({});
