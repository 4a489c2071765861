import { z } from 'zod';
import { closest, describe } from './describe.js';
import { frigateUnsupported } from './frigate-keys.js';
import type { ConfigIssue } from './issues.js';
import { descriptionAt, knownKeysAt, schemaAt, unwrap } from './schema-at.js';

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

/** `cameras.door.objects[2]`: the key path as the messages print it. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function valueAt(doc: unknown, path: Path): unknown {
  let v = doc;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

interface Located {
  readonly at: Path;
  readonly message: string;
  readonly hint: string;
}

/**
 * Zod's issues in the wording the agent has always used (what is wrong, and how to fix it),
 * ordered as the file reads, keys the file does not have first.
 */
export function configIssues(schema: z.ZodType, doc: unknown, issues: readonly Issue[]): ConfigIssue[] {
  const located = issues.flatMap((issue) => explain(schema, doc, issue, []));
  return located
    .map((l, i) => ({ l, i }))
    .sort((a, b) => documentOrder(doc, a.l.at, b.l.at) || a.i - b.i)
    .map(({ l }) => ({ path: formatPath(l.at), message: l.message, hint: l.hint }));
}

function explain(schema: z.ZodType, doc: unknown, issue: Issue, base: Path): Located[] {
  const at = [...base, ...issue.path];
  const value = valueAt(doc, at);
  const key = String(at[at.length - 1] ?? '');
  const one = (message: string, hint: string): Located[] => [{ at, message, hint }];
  const frigate =
    isMapping(value) && issue.code === 'invalid_type' ? frigateUnsupported(at, true) : undefined;
  if (frigate) return one(notSupported(frigate.key), frigate.hint);
  switch (issue.code) {
    case 'custom':
      return one(issue.message, String(issue.params?.hint ?? 'see docs/config.md'));
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, at);
      return issue.keys.map((k) => {
        const frigate = frigateUnsupported([...at, k]);
        if (frigate) return { at: [...at, k], message: notSupported(frigate.key), hint: frigate.hint };
        const near = closest(k, known);
        return {
          at: [...at, k],
          message: 'unknown key',
          hint: near
            ? `did you mean \`${near}\`? (known keys: ${known.join(', ')})`
            : `remove it; known keys: ${known.join(', ')}`,
        };
      });
    }
    case 'invalid_union':
      return explainUnion(schema, doc, issue, at, value);
    case 'invalid_value':
      return one(`unknown value ${describe(value)}`, `use one of: ${issue.values.map(String).join(', ')}`);
    case 'invalid_type':
      if (value === undefined)
        return one(
          'is required',
          `add \`${key}: <value>\` under \`${formatPath(at.slice(0, -1)) || 'the top level'}\``,
        );
      return wrongType(schema, at, issue.expected, value, key);
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'string')
        return one(`expected a non-empty string, got ${describe(value)}`, `write \`${key}: "<text>"\``);
      if (issue.origin === 'number') return outOfRange(schema, at, value);
      return one(issue.message.toLowerCase(), 'see docs/config.md');
    default:
      return one(issue.message, 'see docs/config.md');
  }
}

function notSupported(frigateKey: string): string {
  return `Frigate's \`${frigateKey.replace(/\*/g, '<name>')}\` is not supported by rxvision`;
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongType(schema: z.ZodType, at: Path, expected: string, value: unknown, key: string): Located[] {
  const got = describe(value);
  const one = (message: string, hint: string): Located[] => [{ at, message, hint }];
  switch (expected) {
    case 'object':
    case 'record': {
      const what = (descriptionAt(schema, at) ?? 'settings').split(/[;:(]/)[0]?.trim();
      return one(
        `expected a mapping (${what}), got ${got}`,
        `write \`${key}:\` followed by indented \`key: value\` lines`,
      );
    }
    case 'number':
    case 'int':
      if (typeof value === 'number') return outOfRange(schema, at, value);
      return one(
        `expected a number, got ${got}`,
        `write a number, e.g. \`${key}: ${numberRule(schema, at).min ?? 1}\``,
      );
    case 'string':
      return one(`expected a non-empty string, got ${got}`, `write \`${key}: "<text>"\``);
    case 'boolean':
      return one(`expected true or false, got ${got}`, `write \`${key}: true\` or \`${key}: false\``);
    case 'array':
      return one(`expected a list of names, got ${got}`, `write \`${key}: [person, car]\``);
    default:
      return one(`expected ${expected}, got ${got}`, 'see docs/config.md');
  }
}

function numberRule(schema: z.ZodType, at: Path): { min?: number; max?: number; integer: boolean } {
  const s = schemaAt(schema, at);
  const n = s && unwrap(s);
  if (!(n instanceof z.ZodNumber)) return { integer: false };
  const bounded = (v: number | null) => (v !== null && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  const min = bounded(n.minValue);
  const max = bounded(n.maxValue);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), integer: n.isInt };
}

function outOfRange(schema: z.ZodType, at: Path, value: unknown): Located[] {
  const rule = numberRule(schema, at);
  const range =
    rule.min !== undefined && rule.max !== undefined
      ? `from ${rule.min} to ${rule.max}`
      : rule.min !== undefined
        ? `≥ ${rule.min}`
        : rule.max !== undefined
          ? `≤ ${rule.max}`
          : '';
  return [
    {
      at,
      message: `${Number(value)} is out of range`,
      hint: `use ${rule.integer ? 'an integer ' : 'a number '}${range}`,
    },
  ];
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  string: 'text',
  array: 'a list',
  number: 'a number',
  int: 'a number',
  tuple: 'a list',
};

/** The option of a union that took the value's kind explains it; when none did, say what each wanted. */
function explainUnion(
  schema: z.ZodType,
  doc: unknown,
  issue: z.core.$ZodIssueInvalidUnion,
  at: Path,
  value: unknown,
): Located[] {
  const atRoot = (errors: readonly Issue[]) => errors.filter((e) => e.path.length === 0);
  const took = issue.errors.filter((errors) => atRoot(errors).every((e) => e.code !== 'invalid_type'));
  const onlyValues =
    took.length > 0 && took.every((errors) => errors.every((e) => e.code === 'invalid_value'));
  if (onlyValues) {
    const values = took.flatMap((errors) =>
      errors.flatMap((e) => (e.code === 'invalid_value' ? e.values : [])),
    );
    return [
      {
        at,
        message: `unknown value ${describe(value)}`,
        hint: `use one of: ${values.map(String).join(', ')}`,
      },
    ];
  }
  const best = [...took].sort((a, b) => atRoot(a).length - atRoot(b).length)[0];
  if (best) return best.flatMap((e) => explain(schema, doc, e, at));
  const kinds = issue.errors.flatMap((errors) =>
    atRoot(errors).flatMap((e) => (e.code === 'invalid_type' ? [KIND_WORDS[e.expected] ?? e.expected] : [])),
  );
  return [
    {
      at,
      message: `expected ${[...new Set(kinds)].join(' or ')}, got ${describe(value)}`,
      hint: `write ${descriptionAt(schema, at) ?? 'one of those'}`,
    },
  ];
}

/** Compares two key paths by where their keys sit in the file; a key the file lacks comes before its written siblings. */
function documentOrder(doc: unknown, a: Path, b: Path): number {
  let node: unknown = doc;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const ka = a[i];
    const kb = b[i];
    if (ka !== kb) {
      if (typeof ka === 'number' && typeof kb === 'number') return ka - kb;
      const keys = typeof node === 'object' && node !== null ? Object.keys(node) : [];
      return keys.indexOf(String(ka)) - keys.indexOf(String(kb));
    }
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<PropertyKey, unknown>)[ka as PropertyKey]
        : undefined;
  }
  return a.length - b.length;
}
