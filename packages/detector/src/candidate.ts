/** A box in model-input pixels before it is mapped back to the source frame. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

/** The part of an onnxruntime tensor the decoders read (tests build these by hand). */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}
