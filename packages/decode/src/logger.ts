/** Structured context attached to one log line (`{ camera: 'front', error: '…' }`). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where every rxvision node reports what happened. `console` fits it, and so does the edge
 * agent's structured logger.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A Logger that drops everything (tests, or a library that should stay quiet). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
