import { describe, expect, it } from 'vitest';
import { ProtobufReader, ProtobufWriter, WireType } from '../src/index.js';

describe('protobuf codec: what ProtobufWriter writes, ProtobufReader reads back', () => {
  it('round-trips varints, negative int64s, floats, strings, bytes and nested messages', () => {
    const bytes = new ProtobufWriter()
      .varint(1, 300)
      .varint(2, -1)
      .varint(3, 2n ** 62n)
      .float(4, 0.1)
      .string(5, 'naïve ✓')
      .bytes(6, Uint8Array.from([0, 255, 7]))
      .message(7, (m) => m.varint(1, 42).string(2, 'inner'))
      .finish();
    const r = new ProtobufReader(bytes);
    const next = (field: number, wireType: number) => expect(r.tag()).toEqual({ field, wireType });
    next(1, WireType.VARINT);
    expect(r.varint()).toBe(300);
    next(2, WireType.VARINT);
    expect(r.int64()).toBe(-1n);
    next(3, WireType.VARINT);
    expect(r.int64()).toBe(2n ** 62n);
    next(4, WireType.FIXED32);
    expect(r.float()).toBe(Math.fround(0.1));
    next(5, WireType.LENGTH_DELIMITED);
    expect(r.string()).toBe('naïve ✓');
    next(6, WireType.LENGTH_DELIMITED);
    expect(Array.from(r.bytes())).toEqual([0, 255, 7]);
    next(7, WireType.LENGTH_DELIMITED);
    const inner = r.message();
    expect(inner.tag()).toEqual({ field: 1, wireType: WireType.VARINT });
    expect(inner.varint()).toBe(42);
    expect(inner.tag()).toEqual({ field: 2, wireType: WireType.LENGTH_DELIMITED });
    expect(inner.string()).toBe('inner');
    expect(inner.done()).toBe(true);
    expect(r.done()).toBe(true);
  });

  it('writes a negative varint as ten bytes, as protobuf says', () => {
    expect(new ProtobufWriter().varint(1, -2).finish()).toHaveLength(11);
  });

  it('skips every wire type it writes, and field numbers above 15 take two tag bytes', () => {
    const bytes = new ProtobufWriter()
      .varint(20, 1)
      .float(21, 1.5)
      .string(22, 'skip me')
      .message(23, (m) => m.varint(1, 1))
      .varint(24, 7)
      .finish();
    const r = new ProtobufReader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.tag().wireType);
    expect(r.tag()).toEqual({ field: 24, wireType: WireType.VARINT });
    expect(r.varint()).toBe(7);
    expect(r.done()).toBe(true);
  });

  it('throws a RangeError on truncated input and on a wire type it does not know', () => {
    const bytes = new ProtobufWriter().string(1, 'hello').finish();
    const cut = new ProtobufReader(bytes.subarray(0, 4));
    cut.tag();
    expect(() => cut.string()).toThrow(RangeError);
    expect(() => new ProtobufReader(Uint8Array.from([0x80])).varint()).toThrow(/truncated protobuf varint/);
    // Field 1, wire type 3 (the deprecated start-group).
    const group = new ProtobufReader(Uint8Array.from([0x0b]));
    expect(() => group.skip(group.tag().wireType)).toThrow(/unsupported protobuf wire type 3/);
  });
});
