import { parseArgs } from 'node:util';
import { readImage, roundTo, silentLogger } from '@rxvision/decode';
import { createDetector, type Detection } from '@rxvision/detector';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** The line `edge-agent detect` prints per image; relied on outside the repo, keep it stable. */
export interface DetectLine {
  readonly source: string;
  readonly width: number;
  readonly height: number;
  readonly detections: ReadonlyArray<{
    readonly bbox: readonly [number, number, number, number];
    readonly score: number;
    readonly classId: number;
    readonly label: string;
  }>;
}

/** Boxes to 0.01 px, scores to 4 decimals: stable text, no meaningful precision lost. */
export function detectLine(
  source: string,
  width: number,
  height: number,
  detections: readonly Detection[],
): DetectLine {
  return {
    source,
    width,
    height,
    detections: detections.map((d) => ({
      bbox: [roundTo(d.bbox[0], 2), roundTo(d.bbox[1], 2), roundTo(d.bbox[2], 2), roundTo(d.bbox[3], 2)],
      score: roundTo(d.score, 4),
      classId: d.classId,
      label: d.label,
    })),
  };
}

function probability(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value >= 0 && value <= 1))
    throw new UsageError(`--${name} must be a number from 0 to 1, got "${text}"`);
  return value;
}

/** `edge-agent detect --model <path> [--conf 0.25] [--iou 0.45] <image>…`: one JSON line per image. */
export async function detectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { model: { type: 'string', short: 'm' }, conf: { type: 'string' }, iou: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (!values.model) throw new UsageError('detect needs --model <path.onnx>');
  if (positionals.length === 0) throw new UsageError('detect needs at least one image path');
  const confidence = probability('conf', values.conf, 0.25);
  const iou = probability('iou', values.iou, 0.45);
  const detector = await createDetector({
    model: values.model,
    filters: { confidence, iou },
    logger: { ...silentLogger, warn: (m) => io.stderr.write(`${m}\n`) },
  });
  let failures = 0;
  try {
    for (const path of positionals) {
      try {
        const frame = await readImage(path, { modelInput: detector.inputSize });
        const [result] = await detector.detectFrames([frame]);
        io.stdout.write(
          `${JSON.stringify(detectLine(path, frame.width, frame.height, result?.detections ?? []))}\n`,
        );
      } catch (err) {
        failures++;
        io.stderr.write(`edge-agent detect: ${path}: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await detector.close();
  }
  return failures > 0 ? 1 : 0;
}
