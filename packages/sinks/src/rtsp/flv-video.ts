/** One encoded picture out of FFmpeg's FLV output: complete as soon as its tag is. */
export interface FlvPicture {
  readonly nals: Buffer[];
  readonly keyframe: boolean;
}

/**
 * Reads H.264 pictures from an FLV byte stream. FLV frames each picture with its length, so a
 * picture is usable the moment its last byte arrives (a raw Annex-B stream only ends a picture
 * when the next one starts: one frame of latency).
 */
export class FlvVideoReader {
  #buffer: Buffer = Buffer.alloc(0);
  #headerDone = false;
  sps?: Buffer;
  pps?: Buffer;

  push(chunk: Buffer): FlvPicture[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const pictures: FlvPicture[] = [];
    if (!this.#headerDone) {
      if (this.#buffer.length < 13) return pictures;
      const headerSize = this.#buffer.readUInt32BE(5);
      this.#buffer = this.#buffer.subarray(headerSize + 4);
      this.#headerDone = true;
    }
    while (this.#buffer.length >= 11) {
      const type = this.#buffer[0]!;
      const size = this.#buffer.readUIntBE(1, 3);
      if (this.#buffer.length < 11 + size + 4) break;
      const body = this.#buffer.subarray(11, 11 + size);
      this.#buffer = this.#buffer.subarray(11 + size + 4);
      if (type !== 9 || body.length < 5 || (body[0]! & 0x0f) !== 7) continue;
      const keyframe = body[0]! >> 4 === 1;
      if (body[1] === 0) this.#readConfig(body.subarray(5));
      else if (body[1] === 1) pictures.push({ nals: readLengthPrefixed(body.subarray(5)), keyframe });
    }
    return pictures;
  }

  /** AVCDecoderConfigurationRecord: the SPS and PPS a player needs before the first keyframe. */
  #readConfig(record: Buffer): void {
    let at = 5;
    const spsCount = (record[at++] ?? 0) & 0x1f;
    for (let i = 0; i < spsCount && at + 2 <= record.length; i++) {
      const len = record.readUInt16BE(at);
      this.sps = Buffer.from(record.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
    const ppsCount = record[at++] ?? 0;
    for (let i = 0; i < ppsCount && at + 2 <= record.length; i++) {
      const len = record.readUInt16BE(at);
      this.pps = Buffer.from(record.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
  }
}

function readLengthPrefixed(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const len = data.readUInt32BE(at);
    if (len === 0 || at + 4 + len > data.length) break;
    nals.push(Buffer.from(data.subarray(at + 4, at + 4 + len)));
    at += 4 + len;
  }
  return nals;
}
