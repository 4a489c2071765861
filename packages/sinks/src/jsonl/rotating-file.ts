import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** Rotate when the current file would grow past this many bytes. 0: never. */
  readonly maxBytes: number;
  /** Rotated files kept beside the current one (`<path>.1` newest … `<path>.<n>` oldest). */
  readonly maxFiles: number;
}

/**
 * An append-only file that rotates by size the way logrotate names files: `<path>` is current,
 * `<path>.1` the previous one. Writes are synchronous so a crash loses at most the line in hand.
 */
export class RotatingFile {
  #fd: number;
  #size: number;

  constructor(
    readonly path: string,
    private readonly options: RotationOptions,
  ) {
    this.#fd = this.#open();
    this.#size = fstatSync(this.#fd).size;
  }

  get size(): number {
    return this.#size;
  }

  write(line: string): void {
    const bytes = Buffer.from(line);
    if (this.options.maxBytes > 0 && this.#size > 0 && this.#size + bytes.length > this.options.maxBytes) {
      this.rotate();
    }
    writeSync(this.#fd, bytes);
    this.#size += bytes.length;
  }

  rotate(): void {
    closeSync(this.#fd);
    const { maxFiles } = this.options;
    if (maxFiles <= 0) rmSync(this.path, { force: true });
    else {
      rmSync(`${this.path}.${maxFiles}`, { force: true });
      for (let i = maxFiles - 1; i >= 1; i--) {
        if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this.#fd = this.#open();
    this.#size = 0;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #open(): number {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      return openSync(this.path, 'a');
    } catch (err) {
      throw new Error(
        `jsonl: cannot open ${this.path} for appending: ${(err as Error).message}. Check the directory and its permissions`,
      );
    }
  }
}
