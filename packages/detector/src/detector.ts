import { readFile } from 'node:fs/promises';
import type { Frame, Logger } from '@rxvision/decode';
import { readOnnxMetadata } from '@rxvision/models';
import type { InferenceSession } from 'onnxruntime-node';
import { from, type SchedulerLike } from 'rxjs';
import { InferenceRunError, type InferenceSessionHandle } from './backends/inference-backend.js';
import { inferenceBackend } from './backends/open-backend.js';
import type { Candidate, TensorLike } from './candidate.js';
import { type ClassNamesSource, resolveClassNames } from './class-names.js';
import type { DetectedFrame } from './detection.js';
import { type DetectorStats, StatsRecorder } from './detector-stats.js';
import { type CompiledFilters, compileFilters, type DetectionFilters } from './filters.js';
import { FrameBatcher } from './frame-batcher.js';
import { InputPool } from './input-pool.js';
import { type InputPrefix, prefilterThreshold, prepareInputPrefix } from './input-prefix.js';
import { type ModelContract, recognizeContract, type ValueInfo } from './model-contract.js';
import { contractHasNms, contractOutputs, decodeContract } from './outputs/decode-contract.js';
import { decodeGridRows } from './outputs/decode-grid.js';
import type { Anchors } from './outputs/decode-raw-heads.js';
import { resolveAnchors } from './outputs/raw-head-anchors.js';
import { toDetections } from './postprocess.js';
import { type InputBuffer, pixelTable, writeFrame, writeFrameBytes } from './preprocess.js';
import {
  checkProviders,
  type ExecutionProvider,
  type InferenceRuntime,
  ProviderConfigError,
} from './providers.js';
import { checkTensorRtPlugins, TensorRtOnlyModelError } from './tensorrt-plugin-check.js';

export interface DetectorOptions {
  /** Path of the ONNX model (DeepStream `onnx-file`, Frigate `model.path`). */
  readonly model: string;
  /** Ordered execution providers; the first that loads serves. Default `['cpu']`. */
  readonly providers?: readonly ExecutionProvider[];
  /**
   * The inference runtime. `onnxruntime-node` (default): the npm binding, which passes CUDA and TensorRT
   * a device id only (other options are refused here). `onnxruntime-capi`: ONNX Runtime's C API on
   * `runtimeLibrary`, every provider key reaching its provider (TensorRT fp16/int8/engine cache, …).
   */
  readonly runtime?: InferenceRuntime;
  /** `onnxruntime-capi` only: the `libonnxruntime.so` to call (ORT's GPU release, a Jetson build). Default: onnxruntime-node's copy (CPU). */
  readonly runtimeLibrary?: string;
  /**
   * Cross-camera batching (DeepStream `batch-size`, `batched-push-timeout`). Default size: the
   * model's fixed batch, else 1; default `maxWaitMs` 0 (run what is there when the detector is free).
   * `inFlight` (default 2): batches packed and running at once, so the next full batch is packed and
   * handed over while one infers; both backends accept a second run while one runs.
   */
  readonly batch?: { readonly size?: number; readonly maxWaitMs?: number; readonly inFlight?: number };
  /** Default filters for every frame; `detect()` may override them per pipeline. */
  readonly filters?: DetectionFilters;
  /** Class names; else the model's metadata, else `labelsPath`, else COCO-80. */
  readonly classNames?: readonly string[];
  /** One class name per line (DeepStream `labelfile-path`, Frigate `model.labelmap_path`). */
  readonly labelsPath?: string;
  /** Input size for models whose height/width are dynamic. Default 640×640. */
  readonly inputSize?: { readonly width: number; readonly height: number };
  /** Anchors for raw-head models: `yolov7`, `yolov7-tiny`, `yolov7-w6` or explicit pixels per head. Default: the model's `anchors` metadata, else `yolov7-w6` for four heads, `yolov7-tiny` when the file name says "tiny", else `yolov7`. */
  readonly anchors?: 'yolov7' | 'yolov7-tiny' | 'yolov7-w6' | Anchors;
  /**
   * Where onnxruntime runs the model (DeepStream runs `nvinfer` on its own thread, Frigate a detector
   * process). `worker` (default) runs it in a `worker_threads` worker: its
   * `session.run` is synchronous and would otherwise block this thread's event loop for the whole
   * inference, so decoders' pipes, MQTT and HTTP stall and camera pictures fall behind. Input and
   * output tensors are transferred, not copied. `main` runs it on this thread (no worker to start).
   * onnxruntime-node only: the C API runtime always runs on koffi's worker threads.
   */
  readonly inferenceThread?: 'worker' | 'main';
  /**
   * Wrap the model (once, into the model cache; the file itself is never changed) so it takes FFmpeg's
   * uint8 RGB letterbox as it is and scales it inside the runtime, and, for grid outputs, lets only rows
   * above the lowest score threshold out. Default true; `false` packs float input in JavaScript (for a
   * model the wrap cannot handle: it then falls back by itself and logs why).
   */
  readonly inputPrefix?: boolean;
  /** Where wrapped models are cached. Default `RXVISION_CACHE`, else `~/.cache/rxvision`. */
  readonly modelCacheDir?: string;
  /** Run one inference before the first frame so its latency is not paid by a camera. Default true. */
  readonly warmup?: boolean;
  /** Where provider fallbacks and load messages go. Default `console`. */
  readonly logger?: Logger;
  /** Scheduler for the batching window (tests pass a `TestScheduler`). */
  readonly scheduler?: SchedulerLike;
}

/** A loaded model shared by every camera; batches their frames into one inference call. */
export interface Detector {
  readonly model: string;
  readonly contract: ModelContract;
  /** The execution provider actually serving (`cpu`, `cuda`, `tensorrt`, `webgpu`, `openvino`, …). */
  readonly provider: string;
  /** The inference runtime serving. */
  readonly runtime: InferenceRuntime;
  /** Its version (onnxruntime-node's, or the C API library's `GetVersionString`). */
  readonly runtimeVersion: string;
  readonly classNames: readonly string[];
  readonly classNamesSource: ClassNamesSource;
  /** The letterbox size the model wants: open sources with this `modelInput`. */
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly batch: { readonly size: number; readonly maxWaitMs: number; readonly inFlight: number };
  /** The wrapped model serving (see `inputPrefix`), or undefined when the input is packed in JavaScript. */
  readonly inputPrefix: { readonly path: string; readonly prefilter: boolean } | undefined;
  /** Compiles filters (defaults from the options, overridden by `filters`); throws on an unknown class. */
  compileFilters(filters?: DetectionFilters): CompiledFilters;
  /** Detects on frames as given (photos, tests): batched by `batch.size`, nothing dropped. */
  detectFrames(frames: readonly Frame[], filters?: DetectionFilters): Promise<DetectedFrame[]>;
  /**
   * Queues one frame of a live stream for the shared batch. `lane` identifies the stream: a newer
   * frame on the same lane replaces a waiting one, which then resolves `undefined` (dropped).
   */
  submit(lane: object, frame: Frame, filters: CompiledFilters): Promise<DetectedFrame | undefined>;
  /** Drops `lane`'s waiting frame, if any (its subscriber left). */
  cancel(lane: object): void;
  stats(): DetectorStats;
  close(): Promise<void>;
}

interface Job {
  readonly frame: Frame;
  readonly filters: CompiledFilters;
}

/**
 * Loads a YOLO ONNX model on the first execution provider that works, recognises its output
 * contract, warms it up, and returns a `Detector` to share between cameras.
 *
 * By default the model runs on onnxruntime-node in a worker thread (`inferenceThread: 'worker'`), so
 * onnxruntime's synchronous inference never blocks the event loop that reads the cameras; with
 * `runtime: 'onnxruntime-capi'` it runs through ONNX Runtime's C API on koffi's threads. `close()` ends it.
 *
 * ## Example
 * ```ts
 * const detector = await createDetector({ model: 'yolov7-tiny.onnx', batch: { size: 4, maxWaitMs: 20 } });
 * const [result] = await detector.detectFrames([frame]);
 * ```
 */
export async function createDetector(options: DetectorOptions): Promise<Detector> {
  const logger: Logger = options.logger ?? console;
  const bytes = await readFile(options.model).catch((error: Error) => {
    throw new Error(`cannot read model ${options.model}: ${error.message}`);
  });
  let metadata = new Map<string, string>();
  try {
    metadata = readOnnxMetadata(bytes);
  } catch (error) {
    logger.warn(
      `detector ${options.model}: model metadata unreadable (${(error as Error).message}); using labels`,
    );
  }
  const inputSize = options.inputSize ?? { width: 640, height: 640 };
  const providers = options.providers ?? ['cpu'];
  const runtime = options.runtime ?? 'onnxruntime-node';
  if (options.runtimeLibrary !== undefined && runtime !== 'onnxruntime-capi')
    throw new Error(
      `detector ${options.model}: runtimeLibrary is for runtime onnxruntime-capi; set runtime: onnxruntime-capi or remove it`,
    );
  try {
    checkProviders(runtime, providers);
  } catch (error) {
    if (error instanceof ProviderConfigError)
      throw new Error(`detector ${options.model}: ${error.message}`, { cause: error });
    throw error;
  }
  const trtPlugins = checkTensorRtPlugins(options.model, bytes, providers);
  const prefix =
    options.inputPrefix === false || trtPlugins.length > 0
      ? undefined
      : await prepareInputPrefix(options.model, bytes, inputSize, metadata, logger, options.modelCacheDir);
  const backend = await inferenceBackend(runtime);
  const session = await backend
    .open(prefix?.path ?? options.model, providers, logger, {
      ...(options.runtimeLibrary !== undefined ? { runtimeLibrary: options.runtimeLibrary } : {}),
      ...(options.inferenceThread ? { inferenceThread: options.inferenceThread } : {}),
    })
    .catch((error: Error) => {
      throw trtPlugins.length > 0
        ? new TensorRtOnlyModelError(options.model, trtPlugins, error.message)
        : error;
    });
  logger.info(
    `detector ${options.model}: serving on ${session.provider} (runtime ${session.runtime} ${session.runtimeVersion}${session.runtimeLibrary ? `, ${session.runtimeLibrary}` : ''})`,
  );
  try {
    const valueInfo = (list: readonly InferenceSession.ValueMetadata[]): ValueInfo[] =>
      list.map((v) => ({
        name: v.name,
        type: v.isTensor ? v.type : 'non-tensor',
        shape: v.isTensor ? v.shape : [],
      }));
    const contract =
      prefix?.contract ??
      recognizeContract(
        options.model,
        valueInfo(session.inputMetadata),
        valueInfo(session.outputMetadata),
        inputSize,
        metadata,
      );
    const names = await resolveClassNames(metadata, options);
    let classNames = names.names;
    const numClasses = 'numClasses' in contract ? contract.numClasses : undefined;
    if (numClasses !== undefined && classNames.length !== numClasses) {
      logger.warn(
        `detector ${options.model}: the model has ${numClasses} classes but ${classNames.length} names (${names.source}); unnamed classes are called classN`,
      );
      classNames = Array.from({ length: numClasses }, (_, i) => classNames[i] ?? `class${i}`);
    }
    const detector = new OnnxDetector(options, contract, session, classNames, names.source, logger, prefix);
    if (options.warmup ?? true) await detector.warmup();
    return detector;
  } catch (error) {
    await session.release();
    throw error;
  }
}

class OnnxDetector implements Detector {
  readonly model: string;
  readonly provider: string;
  readonly runtime: InferenceRuntime;
  readonly runtimeVersion: string;
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly batch: { readonly size: number; readonly maxWaitMs: number; readonly inFlight: number };
  readonly inputPrefix: { readonly path: string; readonly prefilter: boolean } | undefined;
  private readonly defaultFilters: DetectionFilters;
  private readonly defaultCompiled: CompiledFilters;
  private readonly table;
  /** One input buffer per batch in flight; in worker mode a buffer travels to the worker and comes back. */
  private readonly inputs: InputPool;
  private readonly anchors: Anchors;
  private readonly recorder: StatsRecorder;
  private readonly batcher: FrameBatcher<Job, DetectedFrame>;
  private closed = false;

  constructor(
    options: DetectorOptions,
    readonly contract: ModelContract,
    private readonly session: InferenceSessionHandle,
    readonly classNames: readonly string[],
    readonly classNamesSource: ClassNamesSource,
    logger: Logger,
    private readonly prefix?: InputPrefix,
  ) {
    this.inputPrefix = prefix && { path: prefix.path, prefilter: prefix.rows !== undefined };
    this.model = options.model;
    this.provider = session.provider;
    this.runtime = session.runtime;
    this.runtimeVersion = session.runtimeVersion;
    this.inputSize = { width: contract.width, height: contract.height };
    const requested = options.batch?.size;
    let size = requested ?? (contract.batch === 'dynamic' ? 1 : contract.batch);
    if (contract.batch !== 'dynamic' && size !== contract.batch) {
      logger.warn(
        `detector ${this.model}: batch.size ${size} ignored, the model's batch is fixed at ${contract.batch} (re-export with --dynamic-batch to change it)`,
      );
      size = contract.batch;
    }
    this.batch = { size, maxWaitMs: options.batch?.maxWaitMs ?? 0, inFlight: options.batch?.inFlight ?? 2 };
    this.defaultFilters = options.filters ?? {};
    this.defaultCompiled = compileFilters(this.defaultFilters, classNames);
    this.table = pixelTable(contract.inputType);
    const capacity = contract.batch === 'dynamic' ? size : contract.batch;
    const length = capacity * 3 * contract.width * contract.height;
    this.inputs = new InputPool(
      () =>
        prefix
          ? new Uint8Array(length)
          : contract.inputType === 'float16'
            ? new Uint16Array(length)
            : new Float32Array(length),
      this.batch.inFlight,
    );
    this.anchors =
      contract.kind === 'raw-heads'
        ? resolveAnchors(this.model, contract.heads.length, options.anchors, contract.anchors)
        : [];
    this.recorder = new StatsRecorder(this.model, this.provider);
    this.batcher = new FrameBatcher<Job, DetectedFrame>(
      this.batch,
      (jobs, release) => from(this.infer(jobs, release)),
      (job) => this.recorder.dropped(job.frame.streamId),
      options.scheduler,
    );
  }

  compileFilters(filters?: DetectionFilters): CompiledFilters {
    return filters
      ? compileFilters({ ...this.defaultFilters, ...filters }, this.classNames)
      : this.defaultCompiled;
  }

  async detectFrames(frames: readonly Frame[], filters?: DetectionFilters): Promise<DetectedFrame[]> {
    const compiled = this.compileFilters(filters);
    const batches: Promise<DetectedFrame[]>[] = [];
    for (let i = 0; i < frames.length; i += this.batch.size) {
      const jobs = frames.slice(i, i + this.batch.size).map((frame) => {
        this.recorder.frameIn(frame.streamId);
        return { frame, filters: compiled };
      });
      // All queued at once: the input pool runs `batch.inFlight` of them at a time, postprocessing overlaps the next runs.
      batches.push(this.infer(jobs));
    }
    return (await Promise.all(batches)).flat();
  }

  submit(lane: object, frame: Frame, filters: CompiledFilters): Promise<DetectedFrame | undefined> {
    this.recorder.frameIn(frame.streamId);
    return this.batcher.submit(lane, { frame, filters });
  }

  cancel(lane: object): void {
    this.batcher.cancel(lane);
  }

  stats(): DetectorStats {
    return this.recorder.snapshot();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.batcher.close();
    await this.inputs.idle();
    await this.session.release();
  }

  /** One inference on a blank batch, so the first camera frame does not pay for lazy initialisation. */
  async warmup(): Promise<void> {
    const images = this.contract.batch === 'dynamic' ? this.batch.size : this.contract.batch;
    await this.inputs.use((input, reclaim) => this.run(input, reclaim, images, 1));
  }

  /** Runs the session on the first `images` packed images and takes the input buffer back. */
  private async run(
    input: InputBuffer,
    reclaim: (input: InputBuffer) => void,
    images: number,
    minScore: number,
  ): Promise<Readonly<Record<string, TensorLike>>> {
    const { width, height, inputType } = this.contract;
    const data = viewOf(input, images * 3 * width * height);
    const prefix = this.prefix;
    try {
      const ran = prefix
        ? await this.session.run(
            prefix.input,
            { type: 'uint8', dims: [images, height, width, 3], data },
            this.fetches(),
            prefix.threshold ? { [prefix.threshold]: prefilterThreshold(minScore) } : {},
          )
        : await this.session.run(
            this.contract.input,
            { type: inputType, dims: [images, 3, height, width], data },
            this.fetches(),
          );
      reclaim(whole(ran.input));
      return ran.outputs;
    } catch (error) {
      if (error instanceof InferenceRunError) reclaim(whole(error.input));
      throw error;
    }
  }

  private fetches(): string[] {
    const prefix = this.prefix;
    if (prefix?.rows && prefix.rowIndex) return [prefix.rows, prefix.rowIndex];
    return contractOutputs(this.contract);
  }

  /**
   * Packs and runs one batch in a free input buffer, then, after `release` lets the next batch
   * in and one event-loop turn lets it start, decodes this one while the next is inferring.
   */
  private async infer(jobs: readonly Job[], release: () => void = () => {}): Promise<DetectedFrame[]> {
    const minScore = Math.min(...jobs.map((j) => j.filters.minScore));
    if (this.closed) throw new Error(`detector ${this.model} is closed`);
    const ran = await this.inputs.use(async (input, reclaim) => {
      const started = performance.now();
      const { width, height } = this.contract;
      const boxes = jobs.map((job, i) =>
        input instanceof Uint8Array
          ? writeFrameBytes(job.frame, input, i, width, height)
          : writeFrame(job.frame, input, i, width, height, this.table),
      );
      const images = this.contract.batch === 'dynamic' ? jobs.length : this.contract.batch;
      const beforeRun = performance.now();
      try {
        const outputs = await this.run(input, reclaim, images, minScore);
        return { outputs, boxes, inferenceMs: performance.now() - beforeRun, packMs: beforeRun - started };
      } catch (error) {
        const cameras = [...new Set(jobs.map((j) => j.frame.streamId))].join(', ');
        throw new Error(
          `detector ${this.model} (${this.provider}): inference failed for cameras ${cameras}: ${(error as Error).message}`,
        );
      }
    });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    const afterRun = performance.now();
    const candidates = this.decode(ran.outputs, jobs.length, minScore);
    const nmsInGraph = contractHasNms(this.contract);
    const results = jobs.map((job, i) => ({
      frame: job.frame,
      detections: toDetections(candidates[i] ?? [], job.filters, ran.boxes[i]!, this.classNames, nmsInGraph),
      inferenceMs: ran.inferenceMs,
    }));
    this.recorder.batch(
      jobs.map((j) => j.frame.streamId),
      ran.inferenceMs,
      ran.packMs + (performance.now() - afterRun),
    );
    return results;
  }

  private decode(
    outputs: Readonly<Record<string, TensorLike>>,
    images: number,
    minScore: number,
  ): Candidate[][] {
    const c = this.contract;
    const get = (name: string): TensorLike => {
      const tensor = outputs[name];
      if (!tensor)
        throw new Error(`detector ${this.model}: output ${name} missing from the inference result`);
      return tensor;
    };
    const prefix = this.prefix;
    if (prefix?.rows && prefix.rowIndex)
      return decodeGridRows(get(prefix.rows), get(prefix.rowIndex), images, minScore);
    return decodeContract(c, get, images, minScore, this.anchors);
  }
}

/** The whole buffer under `input` (a run hands back a view of its first images). */
function whole(input: InputBuffer): InputBuffer {
  return viewOf(input, input.buffer.byteLength / input.BYTES_PER_ELEMENT);
}

/** The first `length` elements of `input`'s buffer, as the same array type. */
function viewOf(input: InputBuffer, length: number): InputBuffer {
  if (length === input.length && input.byteOffset === 0) return input;
  if (input instanceof Float32Array) return new Float32Array(input.buffer, 0, length);
  if (input instanceof Uint16Array) return new Uint16Array(input.buffer, 0, length);
  return new Uint8Array(input.buffer, 0, length);
}
