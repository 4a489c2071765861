/** The protobuf wire types ONNX uses: how a field's bytes are laid out after its tag. */
export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];
