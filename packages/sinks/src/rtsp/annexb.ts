/** NAL unit types this package looks at (ITU-T H.264 table 7-1). */
export const NAL = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9 } as const;

export function nalType(nal: Uint8Array): number {
  return (nal[0] ?? 0) & 0x1f;
}

/**
 * Splits an H.264 Annex-B byte stream (start codes `00 00 01` / `00 00 00 01`) into NAL units as
 * bytes arrive. A unit is emitted once the next start code shows where it ends.
 */
export class AnnexBSplitter {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const nals: Buffer[] = [];
    let start = findStartCode(this.#buffer, 0);
    if (start < 0) return nals;
    for (;;) {
      const payloadStart = start + startCodeLength(this.#buffer, start);
      const next = findStartCode(this.#buffer, payloadStart);
      if (next < 0) {
        this.#buffer = this.#buffer.subarray(start);
        return nals;
      }
      if (next > payloadStart) nals.push(Buffer.from(this.#buffer.subarray(payloadStart, next)));
      start = next;
    }
  }

  /** The last unit, at the end of the stream. */
  end(): Buffer[] {
    const start = findStartCode(this.#buffer, 0);
    if (start < 0) return [];
    const nal = this.#buffer.subarray(start + startCodeLength(this.#buffer, start));
    this.#buffer = Buffer.alloc(0);
    return nal.length > 0 ? [Buffer.from(nal)] : [];
  }
}

function findStartCode(buffer: Buffer, from: number): number {
  for (let i = from; i + 2 < buffer.length; i++) {
    if (buffer[i] === 0 && buffer[i + 1] === 0) {
      if (buffer[i + 2] === 1) return i > from && buffer[i - 1] === 0 ? i - 1 : i;
      if (buffer[i + 2] !== 0) i += 2;
    }
  }
  return -1;
}

function startCodeLength(buffer: Buffer, at: number): number {
  return buffer[at + 2] === 1 ? 3 : 4;
}
