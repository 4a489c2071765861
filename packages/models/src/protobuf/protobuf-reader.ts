import { WireType } from './wire-type.js';

/** A field's tag: its number in the message and its wire type (a number outside `WireType` is refused by `skip`). */
export interface ProtobufTag {
  readonly field: number;
  readonly wireType: number;
}

const utf8 = new TextDecoder();

/**
 * A minimal protocol-buffers decoder over one message's bytes, the counterpart of `ProtobufWriter`:
 * read a tag, then the value its wire type holds, or `skip` it. Nothing is copied; `bytes()` and
 * `message()` are views into the input. Truncated input throws a `RangeError`.
 *
 * ## Example
 * ```ts
 * const r = new ProtobufReader(bytes);
 * while (!r.done()) {
 *   const { field, wireType } = r.tag();
 *   if (field === 2 && wireType === WireType.LENGTH_DELIMITED) name = r.string();
 *   else r.skip(wireType);
 * }
 * ```
 */
export class ProtobufReader {
  private pos = 0;

  constructor(private readonly input: Uint8Array) {}

  /** How many bytes have been read: slice the input between two positions to copy fields as they are. */
  get position(): number {
    return this.pos;
  }

  /** Whether every field has been read. */
  done(): boolean {
    return this.pos >= this.input.byteLength;
  }

  tag(): ProtobufTag {
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wireType: tag % 8 };
  }

  /** A wire type 0 value as a number: exact up to 2^53, so use `int64()` for int64 fields that may be negative. */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let n = 0; n < 10; n++) {
      const byte = this.varintByte();
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new RangeError('protobuf varint longer than 10 bytes');
  }

  /** A wire type 0 value as a signed 64-bit integer (negative values are ten-byte two's complement). */
  int64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.varintByte();
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
    }
    throw new RangeError('protobuf varint longer than 10 bytes');
  }

  /** A wire type 5 value holding an IEEE-754 float (ONNX `AttributeProto.f`). */
  float(): number {
    const bytes = this.take(4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
  }

  /** A wire type 2 value: raw bytes, as a view into the input. */
  bytes(): Uint8Array {
    return this.take(this.varint());
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** A wire type 2 value holding an embedded message, as a reader of its own. */
  message(): ProtobufReader {
    return new ProtobufReader(this.bytes());
  }

  /** Steps over a value of the given wire type. */
  skip(wireType: number): void {
    if (wireType === WireType.VARINT) this.varint();
    else if (wireType === WireType.FIXED64) this.take(8);
    else if (wireType === WireType.LENGTH_DELIMITED) this.bytes();
    else if (wireType === WireType.FIXED32) this.take(4);
    else throw new RangeError(`unsupported protobuf wire type ${wireType}`);
  }

  private varintByte(): number {
    const byte = this.input[this.pos];
    if (byte === undefined) throw new RangeError('truncated protobuf varint');
    this.pos++;
    return byte;
  }

  private take(length: number): Uint8Array {
    const end = this.pos + length;
    if (end > this.input.byteLength) throw new RangeError('truncated protobuf');
    const out = this.input.subarray(this.pos, end);
    this.pos = end;
    return out;
  }
}
