import type { ConfigIssue } from './issues.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
/** Frigate's own substitution, `{FRIGATE_RTSP_PASSWORD}`, without the `$`. */
const FRIGATE_VARIABLE = /(?<!\$)\{(FRIGATE_[A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of a parsed YAML tree, so secrets
 * stay out of the file. A variable that is unset and has no default is an issue at its key path.
 */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path = '',
): unknown {
  if (typeof value === 'string') {
    for (const [, name] of value.matchAll(FRIGATE_VARIABLE))
      issues.push({
        path,
        message: `Frigate's \`{${name}}\` substitution is not supported by rxvision`,
        hint: `write \`\${${name}}\`: rxvision substitutes \`\${VAR}\` from the environment (any name, not only FRIGATE_*)`,
      });
    return value.replace(VARIABLE, (_whole, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      issues.push({
        path,
        message: `environment variable ${name} is not set`,
        hint: `export ${name}=… before starting, or write \`\${${name}:-default}\``,
      });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, issues, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = substituteEnv(v, env, issues, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
