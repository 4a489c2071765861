import type { ConfigIssue } from './issues.js';

/** A plain YAML mapping. */
export type Mapping = Readonly<Record<string, unknown>>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/**
 * Reads typed values out of one YAML mapping, recording an issue (with the key's full path)
 * instead of throwing, so that one run of `validate` reports every problem at once.
 */
export class MappingReader {
  constructor(
    readonly value: Mapping,
    readonly path: string,
    private readonly issues: ConfigIssue[],
  ) {}

  static of(value: unknown, path: string, issues: ConfigIssue[], what: string): MappingReader | undefined {
    if (value === undefined || value === null) return new MappingReader({}, path, issues);
    if (isMapping(value)) return new MappingReader(value, path, issues);
    issues.push({
      path,
      message: `expected a mapping (${what}), got ${describe(value)}`,
      hint: exampleFor(path),
    });
    return undefined;
  }

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  issue(key: string, message: string, hint: string): void {
    this.issues.push({ path: this.keyPath(key), message, hint });
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** Flags keys this section does not know, suggesting the closest known one. */
  onlyKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (known.includes(key)) continue;
      const near = closest(key, known);
      this.issue(
        key,
        'unknown key',
        near
          ? `did you mean \`${near}\`? (known keys: ${known.join(', ')})`
          : `remove it; known keys: ${known.join(', ')}`,
      );
    }
  }

  string(key: string, required: true): string | undefined;
  string(key: string, required?: false): string | undefined;
  string(key: string, required = false): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) {
      if (required)
        this.issue(key, 'is required', `add \`${key}: <value>\` under \`${this.path || 'the top level'}\``);
      return undefined;
    }
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number') return String(v);
    // An empty value (often an unset `${VAR:-}`) means "not given".
    if (v === '' && !required) return undefined;
    this.issue(key, `expected a non-empty string, got ${describe(v)}`, `write \`${key}: "<text>"\``);
    return undefined;
  }

  number(key: string, rule: NumberRule = {}): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.issue(
        key,
        `expected a number, got ${describe(v)}`,
        `write a number, e.g. \`${key}: ${rule.min ?? 1}\``,
      );
      return undefined;
    }
    const range = rangeText(rule);
    if (
      (rule.integer && !Number.isInteger(n)) ||
      (rule.min !== undefined && n < rule.min) ||
      (rule.max !== undefined && n > rule.max)
    ) {
      this.issue(key, `${n} is out of range`, `use ${rule.integer ? 'an integer ' : 'a number '}${range}`);
      return undefined;
    }
    return n;
  }

  boolean(key: string): boolean | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.issue(
      key,
      `expected true or false, got ${describe(v)}`,
      `write \`${key}: true\` or \`${key}: false\``,
    );
    return undefined;
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    const found = choices.find((c) => c === v);
    if (found) return found;
    this.issue(key, `unknown value ${describe(v)}`, `use one of: ${choices.join(', ')}`);
    return undefined;
  }

  stringList(key: string): string[] | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.every((s): s is string => typeof s === 'string' && s.length > 0)) return v;
    this.issue(key, `expected a list of names, got ${describe(v)}`, `write \`${key}: [person, car]\``);
    return undefined;
  }

  mapping(key: string, what: string): MappingReader | undefined {
    return MappingReader.of(this.value[key], this.keyPath(key), this.issues, what);
  }
}

function rangeText(rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return `from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `≥ ${rule.min}`;
  if (rule.max !== undefined) return `≤ ${rule.max}`;
  return '';
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function exampleFor(path: string): string {
  const last = path.split('.').pop() ?? path;
  return `write \`${last}:\` followed by indented \`key: value\` lines`;
}

/** The known key nearest to `key` by edit distance, when it is plausibly a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase().replace(/-/g, '_'), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
