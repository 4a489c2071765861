import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { substituteEnv } from './env.js';
import { type AgentFlags, validateWithFlags } from './flags.js';
import { ConfigError, type ConfigIssue } from './issues.js';
import type { AgentConfig } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads a YAML config and substitutes its `${VAR}`s: the document flags merge into. Throws `ConfigError`. */
export function readConfigDocument(file: string, env: Env = process.env): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(
      [
        {
          path: '',
          message: `cannot read ${file}: ${reason}`,
          hint: 'pass an existing file with `--config <file>`',
        },
      ],
      file,
    );
  }
  return parseConfigDocument(text, file, env);
}

/** Parses YAML text and substitutes its `${VAR}`s; throws `ConfigError` on a syntax error or an unset variable. */
export function parseConfigDocument(text: string, file?: string, env: Env = process.env): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: ConfigIssue[] = doc.errors.map((e) => ({
      path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
      message: `YAML syntax error: ${e.message.split('\n')[0] ?? e.code}`,
      hint: 'check indentation (spaces, not tabs) and that every `key:` is followed by a value or an indented block',
    }));
    throw new ConfigError(issues, file);
  }
  const issues: ConfigIssue[] = [];
  const raw = substituteEnv(doc.toJS(), env, issues);
  if (issues.length > 0) throw new ConfigError(issues, file);
  return raw ?? {};
}

/** Reads, substitutes `${VAR}`s in, merges `flags` into, and validates a YAML config; throws `ConfigError`. */
export function loadConfig(file: string, env: Env = process.env, flags: AgentFlags = {}): AgentConfig {
  return validateWithFlags(readConfigDocument(file, env), flags, file);
}

/** `loadConfig` for YAML text already in memory. */
export function parseConfigText(text: string, file?: string, env: Env = process.env): AgentConfig {
  return validateWithFlags(parseConfigDocument(text, file, env), {}, file);
}
