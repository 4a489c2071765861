/** One thing wrong with a config: where (`cameras.front.fps`), what, and how to fix it. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly hint: string;
}

/** Thrown by `loadConfig`/`validateConfig`; its message lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly file?: string,
  ) {
    super(formatIssues(issues, file));
    this.name = 'ConfigError';
  }
}

export function formatIssues(issues: readonly ConfigIssue[], file?: string): string {
  const where = file ? ` in ${file}` : '';
  const head = `invalid config${where}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return [head, ...issues.map((i) => `  ${i.path || '(root)'}: ${i.message}. Fix: ${i.hint}`)].join('\n');
}
