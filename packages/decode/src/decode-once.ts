import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import { DecodeError } from './decode-error.js';
import { ffmpegInput, filterGraph, outputArgs, sourceInputArgs } from './ffmpeg-args.js';
import { resolveFfmpegPath } from './ffmpeg-path.js';
import { spawnFfmpeg } from './ffmpeg-process.js';
import type { Frame, ModelInput } from './frame.js';
import { FrameChunker } from './frame-chunker.js';
import { planHwaccel } from './hwaccel.js';
import { letterbox } from './letterbox.js';
import { diagnose, probeVideo, type VideoInfo } from './probe.js';
import type { SourceOptions } from './source-options.js';

/** How far one output pipe may run ahead of the other before the run is declared broken. */
const MAX_UNPAIRED_FRAMES = 8;

export interface DecodeRunHooks {
  readonly streamId: string;
  /** Hands out the next `seq` (kept by the caller so it counts on across reconnects). */
  readonly nextSeq: () => number;
  /** Something the user should know that is not an error (e.g. a software fallback). */
  readonly onWarning?: (message: string) => void;
  readonly onOpened?: (info: VideoInfo) => void;
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
    let child: ChildProcess | undefined;

    const start = async (): Promise<void> => {
      const inputArgs = sourceInputArgs(options);
      const info = await probeVideo({
        streamId,
        url: options.url,
        ffmpegPath,
        inputArgs,
        timeoutMs: options.connectTimeout ?? options.stallTimeout ?? 10_000,
        signal: aborter.signal,
      });
      if (aborter.signal.aborted) return;
      hooks.onOpened?.(info);
      let hwArgs: string[] = [];
      if (options.hwaccel) {
        const plan = await planHwaccel(ffmpegPath, options.hwaccel, info.codec, options.hwaccelDevice);
        if ('args' in plan) hwArgs = plan.args;
        else hooks.onWarning?.(`camera ${streamId}: ${plan.unsupported}; decoding in software`);
      }
      if (aborter.signal.aborted) return;
      const fps = options.fps && info.fps ? Math.min(options.fps, info.fps) : options.fps;
      const box = options.modelInput
        ? letterbox(info.width, info.height, options.modelInput.width, options.modelInput.height)
        : undefined;
      const graph = filterGraph({ width: info.width, height: info.height, fps, letterbox: box });
      const args = [
        '-hide_banner',
        '-nostdin',
        '-nostats',
        '-loglevel',
        'warning',
        ...hwArgs,
        ...inputArgs,
        '-i',
        ffmpegInput(options.url),
        ...outputArgs(graph, box !== undefined, options.outputArgs),
      ];
      const run = spawnFfmpeg(ffmpegPath, args, { extraPipe: box !== undefined });
      child = await run.child.catch(() => undefined);
      if (aborter.signal.aborted) child?.kill('SIGKILL');

      const frameRate = fps ?? info.fps ?? 25;
      const fullBytes = info.width * info.height * 3;
      const fullQueue: Buffer[] = [];
      const modelQueue: Buffer[] = [];
      let index = 0;
      const emitPaired = (): void => {
        while (fullQueue.length > 0 && (!box || modelQueue.length > 0)) {
          const data = fullQueue.shift()!;
          const modelData = box ? modelQueue.shift() : undefined;
          const modelInput: ModelInput | undefined =
            box && modelData
              ? {
                  width: box.dstWidth,
                  height: box.dstHeight,
                  format: 'rgb24',
                  data: modelData,
                  letterbox: box,
                }
              : undefined;
          const frame: Frame = {
            streamId,
            seq: hooks.nextSeq(),
            pts: index++ / frameRate,
            capturedAt: Date.now(),
            width: info.width,
            height: info.height,
            format: 'rgb24',
            data,
            ...(modelInput ? { modelInput } : {}),
          };
          subscriber.next(frame);
        }
        if (fullQueue.length > MAX_UNPAIRED_FRAMES || modelQueue.length > MAX_UNPAIRED_FRAMES) {
          child?.kill('SIGKILL');
          subscriber.error(
            new DecodeError('ffmpeg', streamId, `camera ${streamId}: FFmpeg's two outputs fell out of step`),
          );
        }
      };
      const full = new FrameChunker(fullBytes);
      child?.stdout?.on('data', (chunk: Buffer) =>
        full.push(chunk, (frame) => {
          fullQueue.push(frame);
          emitPaired();
        }),
      );
      if (box) {
        const model = new FrameChunker(box.dstWidth * box.dstHeight * 3);
        (child?.stdio[3] as Readable | undefined)?.on('data', (chunk: Buffer) =>
          model.push(chunk, (frame) => {
            modelQueue.push(frame);
            emitPaired();
          }),
        );
      }
      const { error, stderrTail } = await run.ended;
      if (aborter.signal.aborted) return;
      if (error)
        subscriber.error(diagnose(streamId, options.url, stderrTail, `FFmpeg stopped (${error.message})`));
      else subscriber.complete();
    };

    start().catch((error: unknown) => {
      if (!aborter.signal.aborted) subscriber.error(error);
    });
    return () => {
      aborter.abort();
      child?.kill('SIGKILL');
    };
  });
}
