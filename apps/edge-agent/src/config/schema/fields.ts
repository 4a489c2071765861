import { z } from 'zod';

/** What a key's `.meta()` holds: its one-line meaning and, where there is one, the DeepStream or Frigate key it matches. */
export type KeyDoc = {
  readonly description: string;
  readonly equivalent?: string;
};

/** The `.meta()` of one key. */
export function about(description: string, equivalent?: string): KeyDoc {
  return equivalent ? { description, equivalent } : { description };
}

/** Camera, detector, zone and line names: they become MQTT topic levels, metric labels and log fields. */
export const NAME = /^[A-Za-z0-9_-]+$/;

/** A record key shown to editors with the name rule; the rule itself is checked beside its section, so the value is still validated. */
export const nameKey = z.string().meta({ pattern: NAME.source });

/** A number written as text (often a `${VAR}`) counts as that number, as it did before the schema. */
function numberFromText(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** A number within `rule`. */
export function number(rule: NumberRule = {}) {
  let n = rule.integer ? z.int() : z.number();
  if (rule.min !== undefined) n = n.min(rule.min);
  if (rule.max !== undefined) n = n.max(rule.max);
  return z.preprocess(numberFromText, n);
}

/** A TCP port. */
export const port = () => number({ min: 1, max: 65535, integer: true });

/** A required non-empty string; a number is taken as its text. */
export function text() {
  return z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1));
}

/** An optional string; an empty one (often an unset `${VAR:-}`) means "not given". */
export function optionalText() {
  return z
    .preprocess(
      (v) => (typeof v === 'number' ? String(v) : v === '' ? undefined : v),
      z.string().min(1).optional(),
    )
    .optional();
}

/** `true`/`false`, also written as text. */
export function flag() {
  return z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
}

/** A list of labels, e.g. `[person, car]`. */
export function labels() {
  return z.array(z.string().min(1));
}

/** FFmpeg arguments: a list, or one string split at spaces as Frigate's `input_args` allows. */
export function ffmpegArgs() {
  return z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (typeof v === 'string' ? v.split(/\s+/).filter((a) => a.length > 0) : v));
}

/** The context a `.superRefine` gets. */
export type Refinement = z.RefinementCtx;

/** Records one problem with its fix; `path` is relative to the schema the refinement sits on. */
export function problem(ctx: Refinement, message: string, hint: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { hint } });
}

/** Cross-field rules run even when a sibling key is wrong, so one `validate` reports every problem. */
export const always = { when: () => true } as const;

/** A field of a value that may be only partly parsed (cross-field rules see such values). */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
