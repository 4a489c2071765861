import type { Candidate, TensorLike } from '../candidate.js';

/** Decodes one output tensor (named `name` in errors) of `images` images into candidates per image, dropping scores under `minScore`. */
export type SingleOutputDecoder = (
  tensor: TensorLike,
  name: string,
  images: number,
  minScore: number,
) => Candidate[][];
