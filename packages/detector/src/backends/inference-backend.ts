import type { Logger } from '@rxvision/decode';
import type { InferenceSession } from 'onnxruntime-node';
import type { TensorLike } from '../candidate.js';
import type { InputBuffer } from '../preprocess.js';
import type { ExecutionProvider, InferenceRuntime } from '../providers.js';

/** A failed run; `input` is the input array handed back, to pack the next batch into. */
export class InferenceRunError extends Error {
  constructor(
    message: string,
    readonly input: InputBuffer,
  ) {
    super(message);
  }
}

/** The element types of an image input: the model's own floats, or bytes for a wrapped model. */
export type InputElementType = 'float32' | 'float16' | 'uint8';

/** One input tensor of a run, over the detector's packed batch (no copy on the way in). */
export interface InferenceInput {
  readonly type: InputElementType;
  readonly dims: readonly number[];
  readonly data: InputBuffer;
}

/**
 * An open model on one inference runtime: what it takes and gives, a batch run that never blocks the event
 * loop, and its release. The detector's batching, pre- and post-processing sit above it.
 */
export interface InferenceSessionHandle {
  /** The runtime serving (`onnxruntime-node`, `onnxruntime-capi`). */
  readonly runtime: InferenceRuntime;
  /** That runtime's version, e.g. onnxruntime-node's package version or the C API library's `GetVersionString`. */
  readonly runtimeVersion: string;
  /** The C API runtime's library file (onnxruntime-node: none, it is the binding's own). */
  readonly runtimeLibrary?: string;
  /** The execution provider serving (`cpu`, `cuda`, `tensorrt`, `openvino`, …). */
  readonly provider: string;
  /** Providers tried before this one, with why each could not load. */
  readonly skipped: readonly SkippedProvider[];
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  /**
   * Runs the model on `tensor` fed as `inputName` and returns the fetched outputs with `input`: the array
   * to pack the next batch into (`tensor.data` itself, or its buffer handed back by a worker).
   * `scalars` feeds further float32 `[1]` inputs by name (a wrapped model's score threshold).
   */
  run(
    inputName: string,
    tensor: InferenceInput,
    fetches: readonly string[],
    scalars?: Readonly<Record<string, number>>,
  ): Promise<{ readonly outputs: Readonly<Record<string, TensorLike>>; readonly input: InputBuffer }>;
  /** Frees the session once runs in flight have ended; later runs reject. */
  release(): Promise<void>;
}

/** How a backend opens a model. */
export interface InferenceBackendOptions {
  /** The `libonnxruntime.so` the C API runtime calls (default: onnxruntime-node's own copy). */
  readonly runtimeLibrary?: string;
  /** onnxruntime-node only: run in a worker thread (default) or on this thread. */
  readonly inferenceThread?: 'worker' | 'main';
}

/** An inference runtime: opens a model on the first provider of an ordered list that loads. */
export interface InferenceBackend {
  readonly runtime: InferenceRuntime;
  open(
    model: string,
    providers: readonly ExecutionProvider[],
    logger: Pick<Logger, 'info' | 'warn'>,
    options: InferenceBackendOptions,
  ): Promise<InferenceSessionHandle>;
}

/** A provider the backend tried before the one that serves, with why it could not load. */
export interface SkippedProvider {
  readonly provider: string;
  readonly reason: string;
}

/** The error when no listed provider could load the model, each with its reason (both runtimes say it alike). */
export function noProviderLoadedError(model: string, skipped: readonly SkippedProvider[]): Error {
  const reasons = skipped.map((s) => `  - ${s.provider}: ${s.reason}`).join('\n');
  return new Error(
    `detector ${model}: no execution provider could load the model:\n${reasons}\n` +
      "Add 'cpu' at the end of the providers list as a fallback, or install the provider libraries.",
  );
}
