import { ConfigError } from './issues.js';
import { type AgentConfig, agentConfigSchema } from './schema/agent-config.js';
import { configIssues } from './zod-issues.js';

/** A key written with no value (`cameras:` alone) means "not given", as it always has. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/**
 * Checks a parsed YAML document against the config schema and returns the agent config with
 * every default filled in. Throws a `ConfigError` listing every problem (key path, what is
 * wrong, how to fix it).
 */
export function validateConfig(raw: unknown, file?: string): AgentConfig {
  const doc = withoutNulls(raw ?? {});
  const result = agentConfigSchema.safeParse(doc);
  if (result.success) return result.data;
  throw new ConfigError(configIssues(agentConfigSchema, doc, result.error.issues), file);
}
