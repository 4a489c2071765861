import { parseArgs } from 'node:util';
import { readImage, roundTo, silentLogger } from '@rxvision/decode';
import {
  createDetector,
  type Detection,
  INFERENCE_RUNTIMES,
  type InferenceRuntime,
} from '@rxvision/detector';
import { toExecutionProvider } from '../config/schema/providers.js';
import { DETECT_COMMAND } from './command-options.js';
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

function runtimeOf(text: string | undefined): InferenceRuntime | undefined {
  if (text === undefined) return undefined;
  const runtime = INFERENCE_RUNTIMES.find((r) => r === text);
  if (!runtime) throw new UsageError(`--runtime must be ${INFERENCE_RUNTIMES.join(' or ')}, got "${text}"`);
  return runtime;
}

/** `true`/`false` and numbers as such; `profile=1/4/8` as TensorRT's min/opt/max batch; the rest as text. */
function optionValue(
  key: string,
  text: string,
): string | number | boolean | { min: number; opt: number; max: number } {
  if (text === 'true' || text === 'false') return text === 'true';
  if (key === 'profile') {
    const [min, opt, max, ...rest] = text.split('/').map(Number);
    if (
      min === undefined ||
      opt === undefined ||
      max === undefined ||
      rest.length > 0 ||
      ![min, opt, max].every(Number.isInteger)
    )
      throw new UsageError(`--provider tensorrt:profile=<min>/<opt>/<max> (batch sizes), got "${text}"`);
    return { min, opt, max };
  }
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** `--provider tensorrt:fp16=true,engine_cache_path=/c` → the config's entry (the same keys as the YAML's). */
export function parseProviderFlag(text: string) {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`--provider needs <name>[:key=value,…], e.g. tensorrt:fp16=true; got "${text}"`);
  const options: Record<string, string | number | boolean | { min: number; opt: number; max: number }> = {};
  if (colon >= 0)
    for (const pair of text.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--provider ${name}: "${pair}" is not key=value`);
      const key = pair.slice(0, eq);
      options[key] = optionValue(key, pair.slice(eq + 1));
    }
  return toExecutionProvider({ name, options });
}

/**
 * `edge-agent detect --model <path> [--conf 0.25] [--iou 0.45] [--runtime …] [--runtime-library <so>]
 * [--provider <name>[:key=value,…]]… <image>…`: one JSON line per image on stdout; which runtime and
 * provider served, and any provider skipped, on stderr.
 */
export async function detectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: DETECT_COMMAND.options,
    strict: true,
    allowPositionals: true,
  });
  if (!values.model) throw new UsageError('detect needs --model <path.onnx>');
  if (positionals.length === 0) throw new UsageError('detect needs at least one image path');
  const confidence = probability('conf', values.conf, 0.25);
  const iou = probability('iou', values.iou, 0.45);
  const runtime = runtimeOf(values.runtime);
  const providers = values.provider?.map(parseProviderFlag);
  const library = values['runtime-library'];
  const detector = await createDetector({
    model: values.model,
    filters: { confidence, iou },
    ...(runtime ? { runtime } : {}),
    ...(library ? { runtimeLibrary: library } : {}),
    ...(providers ? { providers } : {}),
    // The serving line ("serving on <provider> (runtime …)"), skipped providers and engine builds: stderr.
    logger: {
      ...silentLogger,
      info: (m) => io.stderr.write(`${m}\n`),
      warn: (m) => io.stderr.write(`${m}\n`),
    },
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
