/**
 * Cuts a raw byte stream into fixed-size frames. Each frame gets its own buffer (it is handed
 * downstream and must not be overwritten by the next read).
 */
export class FrameChunker {
  private current: Buffer;
  private filled = 0;

  constructor(private readonly frameBytes: number) {
    this.current = Buffer.allocUnsafe(frameBytes);
  }

  /** Feeds one chunk, calling `onFrame` for each frame it completes. */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      chunk.copy(this.current, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        const frame = this.current;
        this.current = Buffer.allocUnsafe(this.frameBytes);
        this.filled = 0;
        onFrame(frame);
      }
    }
  }

  /** Bytes of a frame that never completed (a truncated last frame). */
  get partialBytes(): number {
    return this.filled;
  }
}
