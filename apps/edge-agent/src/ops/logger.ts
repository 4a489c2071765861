import type { LogFields, Logger } from '@rxvision/decode';
import type { LogLevel } from '../config/types.js';
import { redact, redactText } from './redact.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** decode's `Logger`, plus what the agent needs: child loggers that carry fields, and a level a reload can change. */
export interface AgentLogger extends Logger {
  /** A logger whose every line carries `fields` too (e.g. `{ camera: 'front' }`). */
  child(fields: LogFields): AgentLogger;
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
 * It is the `Logger` every package takes, so it is handed to them as it is.
 */
export function createLogger(options: LoggerOptions = {}): AgentLogger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !stream.isTTY;
  const state = { level: options.level ?? 'info' };
  const make = (context: LogFields): AgentLogger => {
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
