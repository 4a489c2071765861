/** Keeps the last `maxLines` lines of a text stream that arrives in arbitrary chunks. */
export class LinesRing {
  readonly #lines: string[] = [];
  #partial = '';

  constructor(private readonly maxLines: number) {}

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split(/\r\n|\r|\n/);
    this.#partial = parts.pop() ?? '';
    this.#lines.push(...parts);
    if (this.#lines.length > this.maxLines) this.#lines.splice(0, this.#lines.length - this.maxLines);
  }

  /** The kept lines, and the unfinished last one, joined by `\n`. */
  text(): string {
    const lines = this.#partial ? [...this.#lines, this.#partial] : this.#lines;
    return this.maxLines > 0 ? lines.slice(-this.maxLines).join('\n') : '';
  }
}
