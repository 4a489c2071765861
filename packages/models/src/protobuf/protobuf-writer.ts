import { WireType } from './wire-type.js';

/**
 * A minimal protocol-buffers encoder: just the wire types ONNX needs (varint, 32-bit, length-delimited).
 * Messages are built bottom-up: encode a child message to bytes, then embed it with `message()`.
 * `ProtobufReader` reads what this writes.
 */
export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  /** Field of wire type 0; int64 values may be bigint. Negative numbers take ten bytes, as protobuf says. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WireType.VARINT);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** Field of wire type 5 holding an IEEE-754 float (ONNX `AttributeProto.f`). */
  float(field: number, value: number): this {
    this.tag(field, WireType.FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  /** Field of wire type 2 holding raw bytes or an already encoded message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LENGTH_DELIMITED);
    this.rawVarint(BigInt(value.byteLength));
    this.push(value);
    return this;
  }

  /** Field of wire type 2 holding UTF-8 text. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Embeds a child message built by `build`. */
  message(field: number, build: (child: ProtobufWriter) => void): this {
    const child = new ProtobufWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  /** Bytes already encoded as whole fields (tags included), copied from another message as they are. */
  raw(fields: Uint8Array): this {
    this.push(fields);
    return this;
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  private tag(field: number, wireType: WireType): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    const bytes: number[] = [];
    let rest = value;
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (rest !== 0n);
    this.push(Uint8Array.from(bytes));
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.byteLength;
  }
}
