import { redactUrl } from '@rxvision/decode';

/** Characters of a user's value an error message quotes; the rest is cut, so a pasted secret or blob is not echoed. */
const QUOTED_CHARS = 32;

/** A user's text as an error message quotes it: redacted, at most `QUOTED_CHARS` characters, in quotes. */
export function quote(text: string): string {
  const safe = redactUrl(text);
  return `"${safe.length > QUOTED_CHARS ? `${safe.slice(0, QUOTED_CHARS)}…` : safe}"`;
}

/** Characters of a path an error message quotes: its end, which names the file. */
const QUOTED_PATH_CHARS = 80;

/** A file path as an error message quotes it: redacted, its last `QUOTED_PATH_CHARS` characters, in quotes. */
export function quotePath(path: string): string {
  const safe = redactUrl(path);
  return `"${safe.length > QUOTED_PATH_CHARS ? `…${safe.slice(-QUOTED_PATH_CHARS)}` : safe}"`;
}

/** How a config value reads in an error message: `"text"`, `number 5`, `a list`, `a mapping`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quote(value);
  return `${typeof value} ${String(value)}`;
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
