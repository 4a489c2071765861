/**
 * Reads `metadata_props` (ModelProto field 14) from ONNX model bytes.
 * onnxruntime-node does not expose custom metadata, so this walks the top-level protobuf
 * fields and skips everything else by length; the graph itself is never parsed.
 */
export function readOnnxMetadata(bytes: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  const reader = new ProtoReader(bytes, 0, bytes.length);
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (field === 14 && wire === 2) {
      const [start, end] = reader.lengthDelimited();
      const entry = readEntry(bytes, start, end);
      if (entry) props.set(entry[0], entry[1]);
    } else {
      reader.skip(wire);
    }
  }
  return props;
}

const utf8 = new TextDecoder();

function readEntry(bytes: Uint8Array, start: number, end: number): [string, string] | undefined {
  const reader = new ProtoReader(bytes, start, end);
  let key: string | undefined;
  let value = '';
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (wire !== 2) {
      reader.skip(wire);
      continue;
    }
    const [s, e] = reader.lengthDelimited();
    if (field === 1) key = utf8.decode(bytes.subarray(s, e));
    if (field === 2) value = utf8.decode(bytes.subarray(s, e));
  }
  return key === undefined ? undefined : [key, value];
}

class ProtoReader {
  constructor(
    private readonly bytes: Uint8Array,
    private pos: number,
    private readonly end: number,
  ) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  tag(): [field: number, wire: number] {
    const tag = this.varint();
    return [Math.floor(tag / 8), tag % 8];
  }

  lengthDelimited(): [start: number, end: number] {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new RangeError('truncated ONNX protobuf');
    return [start, this.pos];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.lengthDelimited();
    else if (wire === 5) this.pos += 4;
    else throw new RangeError(`unsupported protobuf wire type ${wire}: not an ONNX model?`);
  }

  private varint(): number {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('truncated ONNX protobuf varint');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
  }
}
