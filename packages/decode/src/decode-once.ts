import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Observable, type Subscriber } from 'rxjs';
import { concatTakesOptions } from './concat-support.js';
import { DecodeError } from './decode-error.js';
import {
  concatInputPlan,
  type DeviceScale,
  deliveredFormat,
  ffmpegInput,
  filterGraph,
  outputArgs,
  type RawOutput,
  sourceInputArgs,
} from './ffmpeg-args.js';
import { resolveFfmpegPath } from './ffmpeg-path.js';
import { spawnFfmpeg } from './ffmpeg-process.js';
import type { Frame, Letterbox, ModelInput, PixelFormat } from './frame.js';
import { FrameChunker } from './frame-chunker.js';
import { planHwaccel } from './hwaccel.js';
import { letterbox } from './letterbox.js';
import { pictureBytes } from './pixel-layout.js';
import { diagnose, probeVideo, type VideoInfo } from './probe.js';
import { type SecretFile, writeSecretFile } from './secret-file.js';
import type { SourceOptions } from './source-options.js';

/** How far one output pipe may run ahead of the other before the run is declared broken. */
const MAX_UNPAIRED_FRAMES = 8;

/** What FFmpeg says, exiting 0, when a file stops before its index says it should. */
const TRUNCATED = /partial file|Invalid data found when processing input/;

/** The `data` of a frame whose source produces the model input alone. */
const NO_PIXELS = new Uint8Array(0);

/** How FFmpeg decodes: input arguments and, for hardware decode, the device's scaler. */
interface HardwareDecode {
  readonly args: readonly string[];
  readonly deviceScale?: DeviceScale;
}

const SOFTWARE: HardwareDecode = { args: [] };

/** Hardware decoders that failed at run time, per binary, so reconnects go straight to software. */
const failedHwaccels = new Set<string>();

export interface DecodeRunHooks {
  readonly streamId: string;
  /** Hands out the next `seq` (kept by the caller so it counts on across reconnects). */
  readonly nextSeq: () => number;
  /** Something the user should know that is not an error (e.g. a software fallback). */
  readonly onWarning?: (message: string) => void;
  readonly onOpened?: (info: VideoInfo) => void;
}

interface RunPlan {
  readonly streamId: string;
  readonly ffmpegPath: string;
  readonly args: string[];
  readonly width: number;
  readonly height: number;
  readonly box: Letterbox | undefined;
  /** Layout of the full-resolution output; undefined when FFmpeg writes the model input alone. */
  readonly full: PixelFormat | undefined;
  readonly frameRate: number;
  readonly nextSeq: () => number;
}

/**
 * One FFmpeg run over a source: probe, spawn, emit frames until FFmpeg exits. Completes at end
 * of stream, errors with a DecodeError (redacted stderr tail) on failure, and SIGKILLs FFmpeg
 * (and a pending probe) on unsubscribe. `openSource` adds the watchdog and reconnects around it.
 */
export function decodeOnce(options: SourceOptions, hooks: DecodeRunHooks): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    const { streamId } = hooks;
    const ffmpegPath = resolveFfmpegPath(options.ffmpegPath);
    const aborter = new AbortController();
    const children: ChildProcess[] = [];
    // A camera password goes to FFmpeg in a 0600 file, not on its command line (see concatInputPlan).
    let secret: SecretFile | undefined;

    const start = async (): Promise<void> => {
      const hiding = concatInputPlan(options);
      const concat = hiding && (await concatTakesOptions(ffmpegPath)) ? hiding : undefined;
      if (hiding && !concat) warnCredentialsVisible(ffmpegPath, hooks);
      if (aborter.signal.aborted) return;
      secret = concat ? writeSecretFile('source.ffconcat', concat.script) : undefined;
      const input = secret?.path ?? ffmpegInput(options.url);
      const inputArgs = concat?.args ?? sourceInputArgs(options);
      const info = await probeVideo({
        streamId,
        url: options.url,
        input,
        ffmpegPath,
        inputArgs,
        timeoutMs: options.connectTimeoutMs ?? options.stallTimeoutMs ?? 10_000,
        signal: aborter.signal,
      });
      if (aborter.signal.aborted) return;
      hooks.onOpened?.(info);
      const width = options.size?.width ?? info.width;
      const height = options.size?.height ?? info.height;
      const hwKey = `${ffmpegPath}:${options.hwaccel}:${info.codec}`;
      let hw: HardwareDecode = SOFTWARE;
      if (options.hwaccel && !failedHwaccels.has(hwKey)) {
        const plan = await planHwaccel(ffmpegPath, options.hwaccel, info.codec, options.hwaccelDevice);
        if ('args' in plan) hw = plan;
        else hooks.onWarning?.(`camera ${streamId}: ${plan.unsupported}; decoding in software`);
      }
      if (aborter.signal.aborted) return;
      const fps = options.fps && info.fps ? Math.min(options.fps, info.fps) : options.fps;
      const box = options.modelInput
        ? letterbox(width, height, options.modelInput.width, options.modelInput.height)
        : undefined;
      const wantsFull = options.fullFrame !== false || !box;
      const planWith = (decoder: HardwareDecode): RunPlan => {
        const full = wantsFull
          ? deliveredFormat(options.pixelFormat ?? 'yuv420p', decoder.deviceScale)
          : undefined;
        const graph = filterGraph({
          width,
          height,
          fps,
          letterbox: box,
          full,
          deviceScale: decoder.deviceScale,
        });
        const outputs: RawOutput[] = [
          ...(full ? [{ label: 'full' as const, pixelFormat: full }] : []),
          ...(box ? [{ label: 'model' as const, pixelFormat: 'rgb24' as const }] : []),
        ];
        return {
          streamId,
          ffmpegPath,
          width,
          height,
          box,
          full,
          frameRate: fps ?? info.fps ?? 25,
          nextSeq: hooks.nextSeq,
          args: [
            '-hide_banner',
            '-nostdin',
            '-nostats',
            '-loglevel',
            'warning',
            ...decoder.args,
            ...inputArgs,
            '-i',
            input,
            ...outputArgs(graph, outputs, options.outputArgs),
          ],
        };
      };
      let result = await runFfmpeg(planWith(hw), subscriber, children);
      if (aborter.signal.aborted) return;
      if (result.error && hw.args.length > 0 && result.frames === 0) {
        failedHwaccels.add(hwKey);
        const why = result.stderrTail.trim().split('\n').at(-1) ?? result.error.message;
        hooks.onWarning?.(
          `camera ${streamId}: hwaccel ${options.hwaccel} failed (${why}); decoding in software`,
        );
        result = await runFfmpeg(planWith(SOFTWARE), subscriber, children);
        if (aborter.signal.aborted) return;
      }
      if (result.error) {
        subscriber.error(
          diagnose(streamId, options.url, result.stderrTail, `FFmpeg stopped (${result.error.message})`),
        );
      } else if (TRUNCATED.test(result.stderrTail)) {
        // FFmpeg exits 0 at the cut of a truncated file; the frames before it were delivered.
        subscriber.error(diagnose(streamId, options.url, result.stderrTail, 'the file ends early'));
      } else subscriber.complete();
    };

    start()
      .catch((error: unknown) => {
        if (!aborter.signal.aborted) subscriber.error(error);
      })
      .finally(() => secret?.remove());
    return () => {
      aborter.abort();
      for (const child of children) child.kill('SIGKILL');
      secret?.remove();
    };
  });
}

const warnedBinaries = new Set<string>();

function warnCredentialsVisible(ffmpegPath: string, hooks: DecodeRunHooks): void {
  if (warnedBinaries.has(ffmpegPath)) return;
  warnedBinaries.add(ffmpegPath);
  hooks.onWarning?.(
    `camera ${hooks.streamId}: this FFmpeg (${ffmpegPath}) is too old to take the camera password from a file, so \`ps\` shows it; set FFMPEG_PATH to FFmpeg 5 or newer (e.g. Debian's /usr/bin/ffmpeg)`,
  );
}

/**
 * Spawns FFmpeg, pairs its full-size and model-input frames (or takes whichever one it writes), and
 * emits them until it exits.
 */
async function runFfmpeg(
  plan: RunPlan,
  subscriber: Subscriber<Frame>,
  children: ChildProcess[],
): Promise<{ error: Error | null; stderrTail: string; frames: number }> {
  const { streamId, width, height, box, full } = plan;
  const run = spawnFfmpeg(plan.args, {
    ffmpegPath: plan.ffmpegPath,
    extraPipe: box !== undefined && full !== undefined,
  });
  const child = run.process;
  children.push(child);
  if (subscriber.closed) child.kill('SIGKILL');

  const fullQueue: Buffer[] = [];
  const modelQueue: Buffer[] = [];
  let index = 0;
  const emitPaired = (): void => {
    while ((!full || fullQueue.length > 0) && (!box || modelQueue.length > 0)) {
      const data = full ? fullQueue.shift()! : NO_PIXELS;
      const modelData = box ? modelQueue.shift() : undefined;
      const modelInput: ModelInput | undefined =
        box && modelData
          ? { width: box.dstWidth, height: box.dstHeight, format: 'rgb24', data: modelData, letterbox: box }
          : undefined;
      subscriber.next({
        streamId,
        seq: plan.nextSeq(),
        pts: index++ / plan.frameRate,
        capturedAt: Date.now(),
        width,
        height,
        format: full ?? 'none',
        data,
        ...(modelInput ? { modelInput } : {}),
      });
    }
    if (fullQueue.length > MAX_UNPAIRED_FRAMES || modelQueue.length > MAX_UNPAIRED_FRAMES) {
      child.kill('SIGKILL');
      subscriber.error(
        new DecodeError('ffmpeg', streamId, `camera ${streamId}: FFmpeg's two outputs fell out of step`),
      );
    }
  };
  const collect =
    (frameBytes: number, queue: Buffer[]) =>
    (stream: Readable | null): void => {
      const chunker = new FrameChunker(frameBytes);
      stream?.on('data', (chunk: Buffer) =>
        chunker.push(chunk, (frame) => {
          queue.push(frame);
          emitPaired();
        }),
      );
    };
  const modelStream = full ? run.extra : run.stdout;
  if (full) collect(pictureBytes(full, width, height), fullQueue)(run.stdout);
  if (box) collect(box.dstWidth * box.dstHeight * 3, modelQueue)(modelStream);
  const { error, stderrTail } = await run.ended;
  return { error, stderrTail, frames: index };
}
