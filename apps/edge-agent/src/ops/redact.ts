import { redactUrl } from '@rxvision/decode';

const SECRET_KEY = /pass(word)?|secret|token/i;

/** Hides the password of every `scheme://user:password@host` inside a text (decode's `redactUrl`, so both redact alike). */
export function redactText(text: string): string {
  return redactUrl(text);
}

/** A copy of a value with URL passwords hidden and secret-named keys masked, for logs and JSON APIs. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return redactText(value.message);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && v !== undefined ? '***' : redact(v, depth + 1);
  return out;
}
