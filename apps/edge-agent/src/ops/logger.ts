import type { LogLevel } from '../config/types.js';
import { redact, redactText } from './redact.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every line carries `fields` too (e.g. `{ camera: 'front' }`). */
  child(fields: LogFields): Logger;
  setLevel(level: LogLevel): void;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** JSON lines (default when the stream is not a terminal) or human-readable text. */
  readonly json?: boolean;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * A structured logger: one JSON object per line when output is not a terminal (for journald,
 * Docker, Loki), `time level msg key=value` on a terminal. Passwords never reach the output.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !stream.isTTY;
  const state = { level: options.level ?? 'info' };
  const make = (context: LogFields): Logger => {
    const write = (level: LogLevel, msg: string, fields: LogFields = {}) => {
      if (RANK[level] < RANK[state.level]) return;
      const safe = redact({ ...context, ...fields }) as Record<string, unknown>;
      const time = new Date().toISOString();
      if (json) {
        stream.write(`${JSON.stringify({ time, level, msg: redactText(msg), ...safe })}\n`);
        return;
      }
      const rest = Object.entries(safe)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      stream.write(
        `${time.slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${redactText(msg)}${rest ? ` ${rest}` : ''}\n`,
      );
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (fields) => make({ ...context, ...fields }),
      setLevel: (level) => {
        state.level = level;
      },
    };
  };
  return make({});
}
